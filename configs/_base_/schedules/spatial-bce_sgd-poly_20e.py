# Spatial-BCE's schedule (allenwu97/Spatial-BCE train.py): torch SGD with real momentum 0.9,
# lr 1e-3 (x10 for the head's new layers, threshold head and temperature; no weight decay on
# the temperature), weight decay 5e-4, poly (power 0.9) per iteration, 20 epochs per phase
# (batch 12, set by the leaf configs). The last checkpoint is the phase's weights.
_base_ = './cam_sgd-poly_5e.py'
optim_wrapper = dict(
    optimizer=dict(lr=1e-3, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={
        'head': dict(lr_mult=10.),
        'head.temperature': dict(lr_mult=10., decay_mult=0.),
    }))
train_cfg = dict(max_epochs=20)
default_hooks = dict(checkpoint=dict(save_best=None, max_keep_ckpts=1))
