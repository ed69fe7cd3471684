# SIPE (https://arxiv.org/abs/2203.02909, code chenqi1126/SIPE network/resnet50_SIPE.py):
# ResNet-50 with strides (2, 2, 2, 1) and no dilation, output stride 16 (512 -> 32x32); frozen
# batch norm (IRN's FixedBatchNorm); the stem frozen and layer2's output detached, so stem,
# layer1 and layer2 never get a gradient: frozen_stages=2. Head: 1x1 conv 2048 -> 20 without
# bias (PyTorch's default init, as the public code). Side convs 256 / 512 / 1024 / 2048 ->
# 128 / 128 / 256 / 256 on the detached levels form the 768-d hierarchical feature; seeds,
# prototypes and the IS-CAM (20 classes + background) give the general-specific consistency
# loss. Test-time CAMs: scales 1, 0.5, 1.5, 2 with mirrors, IS-CAMs summed. An HFPL config
# adds only head.isl / head.fsl: they attach to the classifier logits `cam` (loss_map), ISL in
# the place of SIPE's GAP-BCE (isl_replaces).
# ImageNet weights are loaded from a local path when given (no downloads here):
#   --cfg-options model.backbone.init_cfg._delete_=True model.backbone.init_cfg.type=Pretrained \
#       model.backbone.init_cfg.checkpoint=/path/to/resnet50.pth
_base_ = './imagenet_data-preprocessors.py'
default_scope = 'mmpretrain'
model = dict(
    type='SIPE',
    data_preprocessor=_base_.cls_data_preprocessor,
    backbone=dict(
        type='ResNet',
        depth=50,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 1),
        out_indices=(0, 1, 2, 3),
        frozen_stages=2,
        norm_eval=True,
        init_cfg=None),
    neck=None,
    head=dict(
        type='CAMHead', num_classes=20, in_channels=2048, bias=False, loss_map='cam',
        isl_replaces='loss_cls', isl_weight=1.0, init_cfg=None),
    in_channels=(256, 512, 1024, 2048),
    side_channels=(128, 128, 256, 256),
    bg_factor=0.5,
    cam_cfg=dict(scales=(1.0, 0.5, 1.5, 2.0), flip=True))
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
