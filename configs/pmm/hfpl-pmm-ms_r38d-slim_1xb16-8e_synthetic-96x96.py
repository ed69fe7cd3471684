# The synthetic PMM stage A + ISL + FSL (branch 1, FSL on the 12x12 CAM upsampled x4, as the
# synthetic SEAM + HFPL).
_base_ = ['./pmm-ms_r38d-slim_1xb16-8e_synthetic-96x96.py',
          '../_base_/models/hfpl-seam_losses.py']
model = dict(head=dict(isl=_base_.hfpl_seam_losses.isl,
                       fsl=dict(_base_.hfpl_seam_losses.fsl, upsample=4)))
