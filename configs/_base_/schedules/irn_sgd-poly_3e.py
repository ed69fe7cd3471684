# IRN's schedule: SGD lr 0.1 (boundary branch) and 1.0 (displacement branch, x10), weight decay
# 1e-4, poly decay per iteration, 3 epochs. Momentum = the weight decay, as IRN's PolyOptimizer
# (baselines.md, section 0). No validation: the refinement is scored by the test step.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=1e-4, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'dp_branch': dict(lr_mult=10.)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0., by_epoch=False)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=3)
test_cfg = dict(type='CAMInferenceLoop')  # resumable label writing
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
