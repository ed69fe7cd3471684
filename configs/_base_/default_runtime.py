# Runtime shared by every stage. The task-specific parts (default_scope, visualizer) come with
# the model bases, the hooks with the schedules (as in mmseg).
custom_imports = dict(imports=['hfpl_mm'], allow_failed_imports=False)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
log_processor = dict(by_epoch=True)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
# average batch-norm statistics over ranks after each epoch (a no-op without distribution);
# reseed from (seed, epoch) so that a resumed training gives the uninterrupted run's weights;
# stop loudly when a loss is not finite or the weights explode (options: README, "Checkpoints")
custom_hooks = [dict(type='SyncBuffersHook'), dict(type='ReseedHook'), dict(type='DivergenceHook')]
# safe (weights-only) and atomic checkpoints, resume fallback, strict test loading, work-dir lock
runner_type = 'HFPLRunner'
