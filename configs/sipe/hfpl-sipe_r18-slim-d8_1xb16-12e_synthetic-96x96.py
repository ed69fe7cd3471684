# The synthetic SIPE baseline + ISL + FSL (both x0.1, FSL on the 12x12 CAM upsampled x2).
_base_ = ['./sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py',
          '../_base_/models/hfpl-sipe_losses.py']
model = dict(head=_base_.hfpl_sipe_losses)
