# IRN / SIPE classifier schedule: SGD, lr 0.1 (x10 on the head), weight decay 1e-4, poly decay
# per iteration, 5 epochs. Momentum: the public code's PolyOptimizer puts the weight decay in the
# momentum slot (effective momentum 1e-4, i.e. none); we reproduce that (jiwoon-ahn/irn
# misc/torchutils.py).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=1e-4, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=10.)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0., by_epoch=False)]
train_cfg = dict(by_epoch=True, max_epochs=5, val_interval=1)
val_cfg = dict()
test_cfg = dict(type='ResumableTestLoop')  # resumable pseudo-label generation
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=2, save_best='cam/J',
                    rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False))
