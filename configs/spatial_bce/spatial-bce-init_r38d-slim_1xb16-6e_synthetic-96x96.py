# The initial phase of Spatial-BCE on the synthetic set (our stand-in for the public release's
# voc12_init.pth / voc12_init.npy, whose origin is not stated): the same network trained from
# scratch with the GAP-BCE (no foreground ratios yet), 6 epochs. Its 'optimal' CAMs give the
# first CRF labels, hence phase 1's rho; the background score is chosen on the validation
# images (the pipeline calibrates model.cam_bg on it) over 0.20-0.70: the public sweep
# (0.20-0.38) widened, as the synthetic CAMs peak higher (0.38, its edge, on seed 0).
_base_ = './spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'
# temperature 1 (theta = 0) instead of 10: on a network from scratch e^theta = 10 scales
# logits of about +-1 to +-10 and the GAP-BCE training collapses; the phases load theta
model = dict(spatial_loss=None, prior_loss=None, cam_mode='optimal', head=dict(temperature=1.))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(96, 96), keep_ratio=False),
    *_base_.sbce_augment,
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(optimizer=dict(lr=0.01))  # from scratch: 10x the public lr
train_cfg = dict(max_epochs=6, val_interval=6)
val_evaluator = [
    dict(type='CAMMetric', bg_thresholds=[round(0.20 + 0.02 * i, 2) for i in range(26)]),
    dict(type='AveragePrecision')
]
