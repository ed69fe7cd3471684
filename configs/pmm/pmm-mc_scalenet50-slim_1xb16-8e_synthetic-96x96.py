# PMM stage B on the synthetic set from scratch on the CPU: a slim ScaleNet (depth 50, 1/8 width,
# even branch allocation, trainable batch norm), the crop grid scaled to the 96 px images
# (window 64, stride 43: PMM's 448 / 300 ratio; scales 1, 1.5, 2), crops resized to 64, 8 epochs
# with the synthetic SEAM's optimiser.
_base_ = [
    '../_base_/models/pmm-mc_scalenet101.py', '../_base_/datasets/synthetic_cls.py',
    '../_base_/schedules/seam_sgd-poly_8e.py', '../_base_/default_runtime.py'
]
crop = dict(scales=(1.0, 1.5, 2.0), crop_size=64, stride=43)
model = dict(
    data_preprocessor=dict(num_classes=6),
    backbone=dict(
        depth=50,
        base_channels=8,
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        init_cfg=dict(type='Kaiming', layer='Conv2d')),
    head=dict(num_classes=7, in_channels=256),
    pcm=dict(in_channels=(64, 128)),
    crop_cfg=dict(crop, flip=True))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiCropSample', region_dir=None, **crop),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False, interpolation='bilinear'),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(
    optimizer=dict(lr=0.05, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={
        'head': dict(lr_mult=1.),
        'head.classifier.bias': dict(lr_mult=1., decay_mult=0.),
        'pcm': dict(lr_mult=1.)
    }))
train_cfg = dict(max_epochs=8, val_interval=8)
default_hooks = dict(logger=dict(interval=10))
