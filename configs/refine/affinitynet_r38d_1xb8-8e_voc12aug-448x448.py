# AffinityNet (psa, as after SEAM) on VOC train_aug: ResNet-38d, batch 8, 8 epochs, 448 crops.
_base_ = [
    '../_base_/models/affinitynet_r38d.py', '../_base_/datasets/voc12aug_refine.py',
    '../_base_/schedules/affinitynet_sgd-poly_8e.py', '../_base_/seg_runtime.py'
]
crop_size = (448, 448)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion', brightness_delta=38, contrast_range=(0.7, 1.3),
         saturation_range=(0.7, 1.3), hue_delta=18),
    dict(type='PackSegInputs'),
]
model = dict(data_preprocessor=dict(size=crop_size))
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
