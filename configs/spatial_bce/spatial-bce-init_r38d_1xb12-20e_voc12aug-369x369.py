# The initial phase of Spatial-BCE on VOC (our stand-in for the public voc12_init.pth /
# voc12_init.npy, whose origin is not stated): the network from ImageNet weights trained with
# the GAP-BCE. Its 'optimal' CAMs give the first CRF labels; the background score is chosen on
# VOC val (not on the training masks) over the public sweep 0.20-0.38 (the pipeline calibrates
# model.cam_bg on it).
_base_ = './spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'
model = dict(spatial_loss=None, prior_loss=None, cam_mode='optimal')
_size = _base_.sbce_image_size
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(_size, _size), keep_ratio=False),
    *_base_.sbce_augment,
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(ann_file='ImageSets/Segmentation/val.txt'))
val_evaluator = [
    dict(type='CAMMetric', bg_thresholds=[round(0.20 + 0.02 * i, 2) for i in range(10)]),
    dict(type='AveragePrecision')
]
