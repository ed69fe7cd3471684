# psa / SEAM AffinityNet schedule: SGD lr 0.01 on the backbone and 0.1 on the new layers (x10),
# weight decay 5e-4, poly decay per iteration, 8 epochs. Momentum = the weight decay, as psa's
# PolyOptimizer (baselines.md, section 0). No validation: the test step scores the refinement.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=5e-4, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0., by_epoch=False)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=8)
test_cfg = dict(type='CAMInferenceLoop')  # resumable label writing
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
