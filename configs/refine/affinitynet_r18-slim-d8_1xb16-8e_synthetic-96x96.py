# AffinityNet on the synthetic set (CPU): the synthetic classifier's ResNet-18 slim backbone.
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
