# IRN on the synthetic set (CPU): the synthetic classifier's ResNet-18 slim backbone, trained.
_base_ = [
    '../_base_/models/irn_r50.py', '../_base_/datasets/synthetic_refine.py',
    '../_base_/schedules/irn_sgd-poly_3e.py', '../_base_/seg_runtime.py',
    '../_base_/models/r18-slim-d8.py'
]
crop_size = (96, 96)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(**_base_.r18_slim_d8, frozen_stages=-1),
    in_channels=(16, 32, 64, 128),
    train_radius=5,
    walk=dict(logt=3),
    size_divisor=8)
optim_wrapper = dict(optimizer=dict(momentum=0.9))
train_cfg = dict(max_epochs=6)
default_hooks = dict(logger=dict(interval=10))
