# psa / SEAM AffinityNet schedule: SGD lr 0.01 on the backbone and 0.1 on the new layers (x10),
# weight decay 5e-4, poly decay per iteration, 8 epochs. Momentum = the weight decay, as psa's
# PolyOptimizer (jiwoon-ahn/psa tool/torchutils.py). No validation: the test step scores the
# refinement.
_base_ = './refine_labels.py'
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=5e-4, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0., by_epoch=False)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=8)
default_hooks = dict(checkpoint=dict(max_keep_ckpts=1))
