# Plain CAM on the synthetic set, from scratch on the CPU in a few minutes.
_base_ = [
    '../_base_/models/cam_r18-slim-d8.py', '../_base_/datasets/synthetic_cls.py',
    '../_base_/schedules/cam_sgd-poly_5e.py', '../_base_/default_runtime.py'
]
model = dict(data_preprocessor=dict(num_classes=6), head=dict(num_classes=6))
optim_wrapper = dict(optimizer=dict(lr=0.05, momentum=0.9, weight_decay=1e-4),
                     paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=1.)}))
train_cfg = dict(max_epochs=12, val_interval=4)
default_hooks = dict(logger=dict(interval=10))
