# IRN on the synthetic set (CPU), 4 epochs, on a ResNet-38d at 1/8 width (the synthetic Spatial-BCE
# classifier's backbone, loaded by the pipeline and trained): levels b3 / b4 / b5 / conv6 at
# strides 4 / 8 / 8 / 8 (IRN's ResNet-50: 4 / 8 / 16 / 16).
_base_ = './irn_r18-slim-d8_1xb16-6e_synthetic-96x96.py'
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmpretrain.ResNet38d',
        base_channels=8,
        out_indices=(2, 3, 4, 6),
        norm_cfg=dict(type='BN', requires_grad=True)),
    in_channels=(32, 64, 128, 512))
train_cfg = dict(max_epochs=4)
