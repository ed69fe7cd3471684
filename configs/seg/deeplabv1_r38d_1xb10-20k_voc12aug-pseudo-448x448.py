# DeepLab-v1 on ResNet-38 (seamv1-pseudovoc) on VOC train_aug pseudo-labels: batch 10, 20k
# iterations, 448 crops, random scale [0.5, 1.5], flip; SGD lr 1e-3 (momentum 0.9, weight
# decay 5e-4, poly 0.9), head x10, biases x2 without decay (the classifier bias x20).
_base_ = [
    '../_base_/models/deeplabv1_r38d.py', '../_base_/datasets/voc12aug_pseudo_seg.py',
    '../_base_/schedules/seg_sgd-poly_20k.py', '../_base_/seg_runtime.py'
]
crop_size = (448, 448)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor, decode_head=dict(num_classes=21))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    # VOC's long side is 500: [250, 750] is seamv1's image scale factor in [0.5, 1.5]
    dict(type='RandomResize', scale=(500, 500), ratio_range=(0.5, 1.5), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(batch_size=10, dataset=dict(pipeline=train_pipeline))
# Testing is single-scale (mmseg's whole-image inference); seamv1 tests scales 0.5 .. 1.75 with
# flips and a one-iteration dense CRF.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(
        bias_lr_mult=2., bias_decay_mult=0.,
        custom_keys={
            'decode_head.conv_seg.bias': dict(lr_mult=20., decay_mult=0.),
            'decode_head': dict(lr_mult=10.),
        }))
param_scheduler = [
    dict(type='PolyLR', eta_min=0., power=0.9, begin=0, end=20000, by_epoch=False)
]
