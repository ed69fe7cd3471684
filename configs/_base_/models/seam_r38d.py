# SEAM (https://arxiv.org/abs/2004.04581, code YudeWang/SEAM): wide ResNet-38 at output stride 8
# with every batch norm frozen and conv1a / b2* frozen; fc8 = Dropout2d(0.5) + 1x1 conv
# 4096 -> 20 + 1 without bias (Xavier-uniform), its channel 0 being SEAM's never-supervised
# background; the PCM on conv4 / conv5; two siamese branches (the crop and the crop scaled by
# 0.3). CAMs (validation, pseudo-labels) are the PCM output, at test time over SEAM's scales
# with flips. An HFPL config adds only head.isl / head.fsl: they attach to branch 1's fc8
# scores as arvijj/hfpl does, ISL in place of that branch's 0.5-weighted GAP-BCE.
# ImageNet weights: convert the MXNet file with tools/model_converters/resnet38_mxnet.py to the
# path below (or point model.backbone.init_cfg.checkpoint elsewhere).
_base_ = './imagenet_data-preprocessors.py'
default_scope = 'mmpretrain'
model = dict(
    type='SEAM',
    data_preprocessor=_base_.cls_data_preprocessor,
    backbone=dict(
        type='ResNet38d',
        base_channels=64,
        out_indices=(3, 4, 6),  # conv4, conv5 (PCM), conv6 (fc8)
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet38d_ilsvrc-mxnet.pth',
            prefix='backbone.')),
    neck=None,
    head=dict(
        type='CAMHead',
        num_classes=21,  # 20 classes + SEAM's background channel 0
        bg_channel=True,
        in_channels=4096,
        bias=False,
        dropout=0.5,
        loss_map='branch1',
        isl_replaces='loss_cls1',
        isl_weight=0.5,
        init_cfg=dict(type='Xavier', layer='Conv2d', distribution='uniform')),
    pcm=dict(type='PixelCorrelationModule', in_channels=(512, 1024)),
    scale_factor=0.3,
    cam_cfg=dict(scales=(0.5, 1.0, 1.5, 2.0), flip=True))
# SEAM's training augmentation, used as the leaf configs' train pipeline: long side uniform in
# [448, 768] (bicubic), flip, torchvision's ColorJitter on the RGB PIL image (SEAM's own call;
# mmcv's adjust_hue fails on numpy 2 for negative hue shifts), random 448 crop padded with the
# mean colour (BGR as loaded), i.e. zero after normalisation, as SEAM pads.
seam_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResize', scale=(448, 448), ratio_range=(1.0, 768 / 448), keep_ratio=True,
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='NumpyToPIL', to_rgb=True),
    dict(type='torchvision/ColorJitter', brightness=0.3, contrast=0.3, saturation=0.3, hue=0.1),
    dict(type='PILToNumpy', to_bgr=True),
    dict(type='RandomCrop', crop_size=448, pad_if_needed=True, pad_val=(104, 116, 124)),
    dict(type='PackInputs'),
]
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
