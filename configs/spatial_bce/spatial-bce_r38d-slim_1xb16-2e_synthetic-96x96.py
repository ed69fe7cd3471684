# One Spatial-BCE phase on the synthetic set, CPU: ResNet-38d at 1/8 width from the previous
# phase's weights (the pipeline sets model.init_cfg) and its CRF labels' foreground ratios (the
# pipeline sets LoadForegroundRatios.label_dir), 96x96 images (12x12 maps), 2 epochs.
_base_ = [
    '../_base_/models/spatial-bce_r38d.py', '../_base_/datasets/synthetic_cls.py',
    '../_base_/schedules/spatial-bce_sgd-poly_20e.py', '../_base_/default_runtime.py'
]
model = dict(
    data_preprocessor=dict(num_classes=6),
    backbone=dict(
        base_channels=8,
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        zero_init_residual=True,
        init_cfg=dict(_delete_=True, type='Kaiming', layer='Conv2d')),
    head=dict(num_classes=6, in_channels=512),
    # the public alternation (80 of every 100 iterations on the scores) scaled to the short
    # phases (25 iterations an epoch): 16 of every 20, so each phase trains the threshold head
    spatial_loss=dict(period=20, score_iters=16),
    # CAMs of 2 scales with flips (the public 4 cost 6x more; CPU-sized)
    cam_cfg=dict(scales=(1.0, 0.5), flip=True))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadForegroundRatios', num_classes=6),
    dict(type='Resize', scale=(96, 96), keep_ratio=False),
    *_base_.sbce_augment,
    *_base_.sbce_pack,
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
# the public lr (1e-3): a phase fine-tunes the previous phase's weights (at 1e-2 the scores
# collapse to p = 0 within 20 iterations on seed 0, the spatial BCE at 0 and the labels empty)
train_cfg = dict(max_epochs=2, val_interval=2)
default_hooks = dict(logger=dict(interval=10))
test_evaluator = dict(bg_thr=0.)  # adaptive CAMs: background score 0
