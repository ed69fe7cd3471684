# AffinityNet on the synthetic set, a few minutes on the CPU: the classifier stage's backbone
# (configs/_base_/models/r18-slim-d8.py: ResNet-18 at a quarter width, output stride 8)
# replaces ResNet-38; its last three stages (32 / 64 / 128 channels, all at stride 8) feed the
# affinity head, a quarter of psa's width as the backbone (16 / 32 / 64 -> 112 channels).
# Initialise the backbone from the classifier (run_pipeline: refine.init_backbone=True) as psa
# starts from a classification network. Scaled to the 12x12 grid of a 96x96 image (psa: 56x56):
# 2^2 walk steps instead of 2^6 (steps scale with the grid's area, see
# irn_r18-slim-d8_1xb16-6e_synthetic-96x96.py), real momentum 0.9.
_base_ = [
    '../_base_/models/affinitynet_r38d.py', '../_base_/datasets/synthetic_refine.py',
    '../_base_/schedules/affinitynet_sgd-poly_8e.py', '../_base_/seg_runtime.py',
    '../_base_/models/r18-slim-d8.py'
]
crop_size = (96, 96)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        **_base_.r18_slim_d8,
        _delete_=True,
        type='mmpretrain.ResNet',
        out_indices=(1, 2, 3),
        frozen_stages=-1,
        norm_eval=True,
        init_cfg=None),
    in_channels=(32, 64, 128),
    feat_channels=(16, 32, 64),
    out_channels=112,
    walk=dict(logt=2))
optim_wrapper = dict(optimizer=dict(momentum=0.9))
default_hooks = dict(logger=dict(interval=10))
