# One Spatial-BCE phase (ResNet-38d) on VOC 2012 train_aug: 369x369 images (resized, no crop),
# RandAugment, batch 12, 20 epochs; from the previous phase's weights (the pipeline sets
# model.init_cfg) with its CRF labels' foreground ratios (LoadForegroundRatios.label_dir).
_base_ = [
    '../_base_/models/spatial-bce_r38d.py', '../_base_/datasets/voc12aug_cls.py',
    '../_base_/schedules/spatial-bce_sgd-poly_20e.py', '../_base_/default_runtime.py'
]
_size = _base_.sbce_image_size
train_pipeline = [
    dict(type='LoadImageFromFile'),
    *_base_.sbce_rho,
    dict(type='Resize', scale=(_size, _size), keep_ratio=False),
    *_base_.sbce_augment,
    *_base_.sbce_pack,
]
train_dataloader = dict(batch_size=12, dataset=dict(pipeline=train_pipeline))
test_evaluator = dict(bg_thr=0.)  # adaptive CAMs: background score 0
