# AffinityNet (jiwoon-ahn/psa, as in SEAM): ResNet-38 (output stride 8) features conv4 / conv5 /
# conv6 projected to 64 / 128 / 256 channels (1x1, no bias, ELU), mixed to 448 (1x1, ELU);
# affinities exp(-mean |f_i - f_j|) within radius 5 of the stride-8 grid. The model's test step
# is psa's random walk: beta 8, 2^6 steps, background seed (1 - max cam)^6. ImageNet (mxnet)
# weights are loaded from a local path when given (see configs/refine/README.md):
#   --cfg-options model.backbone.init_cfg._delete_=True model.backbone.init_cfg.type=Pretrained
#       model.backbone.init_cfg.checkpoint=/path/to/resnet38d.pth
#       model.backbone.init_cfg.prefix=backbone.
_base_ = './imagenet_data-preprocessors.py'
data_preprocessor = _base_.seg_data_preprocessor
model = dict(
    type='AffinityNet',
    data_preprocessor=data_preprocessor,
    # SEAM's fine-tuning: conv1a and b2* frozen, every batch norm frozen
    backbone=dict(
        type='mmpretrain.ResNet38d',
        out_indices=(3, 4, 6),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        init_cfg=None),
    in_channels=(512, 1024, 4096),
    in_index=(0, 1, 2),
    feat_channels=(64, 128, 256),
    out_channels=448,
    train_radius=5,
    label_downsample='majority',
    walk=dict(beta=8, logt=6, radius=5, bg='power', bg_alpha=6),
    size_divisor=8)
