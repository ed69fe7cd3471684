# One Spatial-BCE phase (ResNet-38d) on COCO 2014 train (80 classes), VOC's recipe.
_base_ = [
    '../_base_/models/spatial-bce_r38d.py', '../_base_/datasets/coco2014_cls.py',
    '../_base_/schedules/spatial-bce_sgd-poly_20e.py', '../_base_/default_runtime.py'
]
model = dict(data_preprocessor=dict(num_classes=80), head=dict(num_classes=80))
_size = _base_.sbce_image_size
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadForegroundRatios', num_classes=80),
    dict(type='Resize', scale=(_size, _size), keep_ratio=False),
    *_base_.sbce_augment,
    *_base_.sbce_pack,
]
train_dataloader = dict(batch_size=12, dataset=dict(pipeline=train_pipeline))
test_evaluator = dict(bg_thr=0.)  # adaptive CAMs: background score 0
