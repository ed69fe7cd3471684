# IRN's schedule: SGD lr 0.1 (boundary branch) and 1.0 (displacement branch, x10), weight decay
# 1e-4, poly decay per iteration, 3 epochs. Momentum = the weight decay, as IRN's PolyOptimizer
# (jiwoon-ahn/irn misc/torchutils.py). No validation: the refinement is scored by the test step.
_base_ = './refine_labels.py'
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=1e-4, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'dp_branch': dict(lr_mult=10.)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0., by_epoch=False)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=3)
default_hooks = dict(checkpoint=dict(max_keep_ckpts=1))
