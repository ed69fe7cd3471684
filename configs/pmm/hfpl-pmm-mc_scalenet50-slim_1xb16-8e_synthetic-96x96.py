# The synthetic PMM stage B + FSL only (hfpl sec. 5.1), on the 8x8 CAM upsampled x4.
_base_ = ['./pmm-mc_scalenet50-slim_1xb16-8e_synthetic-96x96.py',
          '../_base_/models/hfpl-seam_losses.py']
model = dict(head=dict(fsl=dict(_base_.hfpl_seam_losses.fsl, upsample=4)))
