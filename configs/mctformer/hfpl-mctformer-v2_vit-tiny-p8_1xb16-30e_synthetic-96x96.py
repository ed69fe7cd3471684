# MCTformer-V2 + ISL + FSL on the synthetic set (FSL on the 12x12 patch CAM upsampled x4).
_base_ = [
    './mctformer-v2_vit-tiny-p8_1xb16-30e_synthetic-96x96.py',
    '../_base_/models/hfpl-mctformer_losses.py'
]
model = dict(head=_base_.hfpl_mctformer_losses)
