# SIPE + ISL + FSL on VOC train_aug (both x0.1, FSL on the 32x32 CAM upsampled x2).
_base_ = ['./sipe_r50-d16_1xb16-5e_voc12aug-512x512.py', '../_base_/models/hfpl-sipe_losses.py']
model = dict(head=_base_.hfpl_sipe_losses)
