# Runtime of the segmentation stage: mmseg's own (default_scope='mmseg', SegLocalVisualizer, an
# iteration-based log processor, the TTA model) plus the hfpl_mm import and a fixed seed.
# default_runtime.py (the classifier stage's) defines the same top-level keys (env_cfg,
# log_processor, ...) and bases may not share keys, so the two runtimes are alternatives.
_base_ = 'mmseg::_base_/default_runtime.py'
custom_imports = dict(imports=['hfpl_mm'], allow_failed_imports=False)
randomness = dict(seed=0, deterministic=False)
# reseed from (seed, iteration) so that a resumed training gives the uninterrupted run's weights;
# stop loudly when a loss is not finite or the weights explode (options: README, "Checkpoints")
custom_hooks = [dict(type='ReseedHook'), dict(type='DivergenceHook')]
# safe (weights-only) and atomic checkpoints, resume fallback, strict test loading, work-dir lock
runner_type = 'HFPLRunner'
