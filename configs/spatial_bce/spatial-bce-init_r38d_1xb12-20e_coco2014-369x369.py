# The initial phase of Spatial-BCE on COCO 2014 (see the VOC config), background score chosen
# on COCO val2014.
_base_ = './spatial-bce_r38d_1xb12-20e_coco2014-369x369.py'
model = dict(spatial_loss=None, prior_loss=None, cam_mode='optimal')
_size = _base_.sbce_image_size
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(_size, _size), keep_ratio=False),
    *_base_.sbce_augment,
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_evaluator = [
    dict(type='CAMMetric', bg_thresholds=[round(0.20 + 0.02 * i, 2) for i in range(10)]),
    dict(type='AveragePrecision')
]
