# SEAM on the synthetic set from scratch on the CPU: ResNet-38d at 1/8 width, 96x96 crops.
_base_ = [
    '../_base_/models/seam_r38d.py', '../_base_/datasets/synthetic_cls.py',
    '../_base_/schedules/seam_sgd-poly_8e.py', '../_base_/default_runtime.py'
]
model = dict(
    data_preprocessor=dict(num_classes=6),
    backbone=dict(
        base_channels=8,
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        zero_init_residual=True,
        init_cfg=dict(_delete_=True, type='Kaiming', layer='Conv2d')),
    head=dict(num_classes=7, in_channels=512),
    pcm=dict(in_channels=(64, 128)))
optim_wrapper = dict(
    optimizer=dict(lr=0.05, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={
        'head': dict(lr_mult=1.),
        'head.classifier.bias': dict(lr_mult=1., decay_mult=0.),
        'pcm': dict(lr_mult=1.)
    }))
train_cfg = dict(max_epochs=12, val_interval=4)
default_hooks = dict(logger=dict(interval=10))
