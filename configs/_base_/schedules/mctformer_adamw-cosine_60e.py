# MCTformer's schedule (DeiT's main.py defaults): AdamW, lr 5e-4 x batch / 512 (6.25e-5 at batch
# 64), weight decay 0.05 except norms, biases, class tokens and position embeddings (timm's
# no_weight_decay), linear warm-up from 1e-6 over 5 epochs, cosine to 1e-5 over the remaining
# 55 (timm continues its 60-epoch cosine from epoch 5: 0.97 of the peak there), stepped per
# epoch as timm's scheduler, 60 epochs, mixed precision (mmengine's AmpOptimWrapper: CUDA / NPU
# / MLU only; on a CPU use optim_wrapper.type=OptimWrapper). The last checkpoint is used.
lr = 5e-4 * 64 / 512
optim_wrapper = dict(
    type='AmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=lr, weight_decay=0.05, eps=1e-8, betas=(0.9, 0.999)),
    paramwise_cfg=dict(
        norm_decay_mult=0.,
        bias_decay_mult=0.,
        custom_keys={
            '.cls_token': dict(decay_mult=0.),
            '.pos_embed': dict(decay_mult=0.)
        }))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6 / lr, by_epoch=True, begin=0, end=5),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=5, end=60)
]
train_cfg = dict(by_epoch=True, max_epochs=60, val_interval=10)
val_cfg = dict()
test_cfg = dict(type='ResumableTestLoop')  # resumable pseudo-label generation
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False))
