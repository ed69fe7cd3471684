# Plain CAM classifier (IRN's resnet50_cam): ResNet-50, output stride 16, 1x1 conv head without
# bias, GAP. ImageNet weights are loaded from a local path when given (no downloads here):
#   --cfg-options model.backbone.init_cfg._delete_=True model.backbone.init_cfg.type=Pretrained \
#       model.backbone.init_cfg.checkpoint=/path/to/resnet50.pth
_base_ = './imagenet_data-preprocessors.py'
default_scope = 'mmpretrain'
model = dict(
    type='CAMClassifier',
    data_preprocessor=_base_.cls_data_preprocessor,
    backbone=dict(
        type='ResNet',
        depth=50,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        out_indices=(3, ),
        frozen_stages=1,
        norm_eval=True,
        init_cfg=None),
    neck=None,
    head=dict(type='CAMHead', num_classes=20, in_channels=2048, bias=False),
    # test-time CAMs (pseudo-labels): IRN's scales, each with its mirror
    cam_cfg=dict(scales=(1.0, 0.5, 1.5, 2.0), flip=True))
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
