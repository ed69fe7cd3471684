# The synthetic SEAM baseline + ISL + FSL (branch 1, FSL on the 12x12 CAM upsampled x4).
_base_ = ['./seam_r38d-slim_1xb16-12e_synthetic-96x96.py',
          '../_base_/models/hfpl-seam_losses.py']
model = dict(head=dict(isl=_base_.hfpl_seam_losses.isl,
                       fsl=dict(_base_.hfpl_seam_losses.fsl, upsample=4)))
