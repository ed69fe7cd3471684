# DeepLab-LargeFOV on ResNet-38 (MCTformer's seg/, run_seg.sh) on VOC train_aug pseudo-labels:
# batch 4, 30 epochs (79,350 iterations), 321 crops, random scale [0.7, 1.3], flip; SGD lr 7e-4,
# x10 on the head, poly 0.9 per iteration. MCTformer's PolyOptimizer_cls passes its weight decay
# (1e-5) into SGD's momentum slot, so the effective momentum is 1e-5 and there is no weight
# decay; reproduced here. Testing is single-scale (MCTformer: scales 0.5-1.5 + CRF).
_base_ = [
    '../_base_/models/deeplab-largefov_r38d.py', '../_base_/datasets/voc12aug_pseudo_seg.py',
    '../_base_/schedules/seg_sgd-poly_20k.py', '../_base_/seg_runtime.py'
]
crop_size = (321, 321)
max_iters = 30 * (10582 // 4)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    # VOC's long side is 500: [350, 650] is the image scale factor in [0.7, 1.3]
    dict(type='RandomResize', scale=(500, 500), ratio_range=(0.7, 1.3), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=7e-4, momentum=1e-5, weight_decay=0.),
    paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.)}))
param_scheduler = [
    dict(type='PolyLR', eta_min=0., power=0.9, begin=0, end=max_iters, by_epoch=False)
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters // 10)
default_hooks = dict(checkpoint=dict(interval=max_iters // 10))
