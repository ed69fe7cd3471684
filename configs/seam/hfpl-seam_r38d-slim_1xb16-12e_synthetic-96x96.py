# The synthetic SEAM baseline + ISL + FSL (branch 1, as on VOC). The 12x12 CAM is upsampled x4
# for the FSL (48x48, close to VOC's 56x56 grid for sigma 5), as in the synthetic CAM config.
_base_ = ['./seam_r38d-slim_1xb16-12e_synthetic-96x96.py',
          '../_base_/models/hfpl-seam_losses.py']
model = dict(head=dict(isl=_base_.hfpl_seam_losses.isl,
                       fsl=dict(_base_.hfpl_seam_losses.fsl, upsample=4)))
