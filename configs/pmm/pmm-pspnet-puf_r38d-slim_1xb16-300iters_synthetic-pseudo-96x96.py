# PMM's final model on the synthetic set from scratch (CPU, minutes): PSPNet on ResNet-38d at 1/8
# width (PSP head 64 channels, auxiliary FCN 32), PUF loss, 300 iterations of batch 16 with the
# synthetic segmentor's optimiser; test: whole image, ratios 0.75-1.25 x flips, PMM's CRF.
_base_ = [
    '../_base_/models/pspnet_r38d.py', '../_base_/datasets/synthetic_pseudo_seg.py',
    '../_base_/schedules/seg_sgd-poly_20k.py', '../_base_/seg_runtime.py'
]
num_classes = 7
crop_size = (96, 96)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(base_channels=8, init_cfg=dict(_delete_=True, type='Kaiming', layer='Conv2d')),
    decode_head=dict(in_channels=512, channels=64, num_classes=num_classes),
    auxiliary_head=dict(in_channels=128, channels=32, num_classes=num_classes),
    test_cfg=dict(_delete_=True, mode='whole', ratios=(0.75, 1.0, 1.25), flip=True, crf=dict()))
max_iters = 300
optim_wrapper = dict(optimizer=dict(lr=0.05))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)
]
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=max_iters, max_keep_ckpts=1))
