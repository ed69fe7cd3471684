# IRN (jiwoon-ahn/irn): class-boundary and displacement branches on a frozen ResNet-50 (output
# stride 16, the four stage outputs at strides 4 / 8 / 16 / 16), trained on confident labels
# with pairs within radius 10 of the stride-4 grid. The model's test step is IRN's semantic
# random walk: boundary affinities within radius 5, beta 10, 2^8 steps, seeds cam * (1 - edge),
# constant background 0.25. ImageNet weights are loaded from a local path when given:
#   --cfg-options model.backbone.init_cfg._delete_=True model.backbone.init_cfg.type=Pretrained
#       model.backbone.init_cfg.checkpoint=/path/to/resnet50.pth
_base_ = './imagenet_data-preprocessors.py'
data_preprocessor = _base_.seg_data_preprocessor
model = dict(
    type='IRN',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmpretrain.ResNet',
        depth=50,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 1),
        out_indices=(0, 1, 2, 3),
        frozen_stages=4,
        norm_eval=True,
        init_cfg=None),
    in_channels=(256, 512, 1024, 2048),
    train_radius=10,
    label_downsample='nearest',
    walk=dict(beta=10, logt=8, radius=5, bg='threshold', bg_thr=0.25),
    flip=True,
    mask_seeds=True,
    size_divisor=16)
