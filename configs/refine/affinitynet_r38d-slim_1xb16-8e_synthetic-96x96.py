# AffinityNet of the synthetic SEAM pipelines: ResNet-38d at the SEAM classifier's 1/8 width.
_base_ = './affinitynet_r18-slim-d8_1xb16-8e_synthetic-96x96.py'
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmpretrain.ResNet38d',
        base_channels=8,
        out_indices=(3, 4, 6),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        init_cfg=None),
    in_channels=(64, 128, 512))
