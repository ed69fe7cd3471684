# DeepLab-v3+ on a half-width ResNet-18 from scratch, synthetic pseudo-labels (CPU, minutes).
_base_ = [
    'mmseg::_base_/models/deeplabv3plus_r50-d8.py', '../_base_/datasets/synthetic_pseudo_seg.py',
    '../_base_/schedules/seg_sgd-poly_20k.py', '../_base_/seg_runtime.py'
]
num_classes = 7
norm_cfg = dict(type='BN', requires_grad=True)
crop_size = (96, 96)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(depth=18, stem_channels=32, base_channels=32, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=256,
        channels=64,
        dilations=(1, 2, 4, 6),
        c1_in_channels=32,
        c1_channels=12,
        num_classes=num_classes,
        norm_cfg=norm_cfg),
    auxiliary_head=dict(in_channels=128, channels=32, num_classes=num_classes, norm_cfg=norm_cfg))
max_iters = 400
optim_wrapper = dict(optimizer=dict(lr=0.05))
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=max_iters, max_keep_ckpts=1))
