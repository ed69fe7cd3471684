# Spatial-BCE (Wu et al., "Adaptive Spatial-BCE Loss for WSSS", ECCV 2022; allenwu97/Spatial-BCE):
# ResNet-38d at output stride 8 (every batch norm frozen, conv1a / b2* frozen) on 369x369
# images (resized, no crop: 47x47 maps); head ReLU -> 1x1 4096 -> 128 -> one 1x1 128 -> 1 per
# class (no biases) times a per-class temperature e^theta (theta = log 10); threshold head
# 1x1 4096 -> 20. Losses: the spatial BCE (80 of every 100 iterations on the scores with rank
# thresholds from the foreground ratios rho, the others on the threshold head) and the KL
# prior; rho comes from the previous phase's CRF labels (LoadForegroundRatios). CAMs: scales
# 1, 0.5, 1.5, 2 with flips of the temperature-free maps, mean, sigmoid, labels, per-pixel
# winner, class max; 'adaptive' subtracts the learned threshold (labels at background 0),
# 'optimal' leaves a constant background score to the writer. An HFPL config adds only
# head.isl / head.fsl (on the temperature-scaled logits s).
_base_ = './imagenet_data-preprocessors.py'
default_scope = 'mmpretrain'
model = dict(
    type='SpatialBCE',
    data_preprocessor=_base_.cls_data_preprocessor,
    backbone=dict(
        type='ResNet38d',
        base_channels=64,
        out_indices=(6, ),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet38d_ilsvrc-mxnet.pth',
            prefix='backbone.')),
    neck=None,
    head=dict(type='SpatialBCEHead', num_classes=20, in_channels=4096, mid_channels=128,
              temperature=10.),
    spatial_loss=dict(type='SpatialBCELoss', period=100, score_iters=80),
    prior_loss=dict(type='ForegroundPriorLoss'),
    cam_mode='adaptive',
    cam_bg=0.,
    cam_cfg=dict(scales=(1.0, 0.5, 1.5, 2.0), flip=True),
    init_cfg=None)  # a phase starts from the previous phase's weights (set by the pipeline)
# Training images: resized to a square (no crop), RandAugment (two operations, magnitude 9 of
# 10, timm's increasing policies), with the image's foreground ratios rho of the previous phase.
sbce_image_size = 369
sbce_augment = [
    dict(type='RandAugment', policies='timm_increasing', num_policies=2, total_level=10,
         magnitude_level=9, magnitude_std=0.5, hparams=dict(pad_val=[104, 116, 124])),
]
sbce_rho = [dict(type='LoadForegroundRatios', num_classes=20)]
sbce_pack = [dict(type='PackInputs', algorithm_keys=('fg_ratio', ))]
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
