# SIPE on the synthetic set from scratch on the CPU: the synthetic CAM's ResNet-18 at a quarter
# width (output stride 8: 96 -> 12x12) and schedule, every stage trained (layer2 not detached:
# from scratch its features must learn), side convs 16 / 32 / 64 / 128 -> 16 / 16 / 32 / 32.
_base_ = [
    '../_base_/models/sipe_r50-d16.py', '../_base_/datasets/synthetic_cls.py',
    '../_base_/schedules/sipe_sgd-poly_5e.py', '../_base_/default_runtime.py',
    '../_base_/models/r18-slim-d8.py'
]
model = dict(
    data_preprocessor=dict(num_classes=6),
    backbone=dict(**_base_.r18_slim_d8, frozen_stages=-1, norm_eval=False),
    head=dict(num_classes=6, in_channels=128),
    in_channels=(16, 32, 64, 128),
    side_channels=(16, 16, 32, 32))
optim_wrapper = dict(optimizer=dict(lr=0.05, momentum=0.9, weight_decay=1e-4),
                     paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=1.),
                                                     'sides': dict(lr_mult=1.)}))
train_cfg = dict(max_epochs=12, val_interval=4)
default_hooks = dict(logger=dict(interval=10))
test_evaluator = dict(_delete_=True, type='BgChannelPseudoLabelMetric',
                      bg_thresholds=_base_.bg_thresholds)
