# AffinityNet for the SEAM pipelines on the synthetic set: psa's ResNet-38 at the synthetic SEAM
# classifier's 1/8 width (conv4 / conv5 / conv6: 64 / 128 / 512 channels, stride 8), every
# batch norm and conv1a / b2* frozen as psa fine-tunes it. Initialise the backbone from the SEAM
# classifier (run_pipeline: refine.init_backbone=True), as psa starts from ImageNet weights.
# Head widths, walk and schedule as the synthetic ResNet-18 variant.
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
