# DeepLab-v1 on the wide ResNet-38 (output stride 8): seamv1, the "Res38" final segmentor of
# SEAM, SIPE and Spatial-BCE (YudeWang/semantic-segmentation-codebase, lib/net/deeplabv1.py and
# lib/net/backbone/resnet38d.py). Backbone: every batch norm frozen (its train() puts them in
# eval mode without gradient) and conv1a frozen; the 4096-d conv6 feeds DeepLabV1Head
# (3x3 dilation 12 -> 512, 1x1 -> 512, BN momentum 3e-4 with the affine parameters out of the
# optimiser, element-wise dropout 0.5, 1x1 classifier with bias), logits upsampled with
# align_corners=True as the public code.
# ImageNet weights: convert the MXNet file with tools/model_converters/resnet38_mxnet.py to the
# path below (or point model.backbone.init_cfg.checkpoint elsewhere).
_base_ = './imagenet_data-preprocessors.py'
data_preprocessor = _base_.seg_data_preprocessor
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ResNet38d',
        base_channels=64,
        out_indices=(6, ),
        frozen_stages=0,  # conv1a
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet38d_ilsvrc-mxnet.pth',
            prefix='backbone.')),
    decode_head=dict(
        type='DeepLabV1Head',
        in_channels=4096,
        in_index=0,
        channels=512,
        dilation=12,
        dropout_ratio=0.5,
        num_classes=21,
        norm_cfg=dict(type='BN', momentum=3e-4, requires_grad=False),
        align_corners=True,
        # mean over the labelled pixels, as torch's CrossEntropyLoss(ignore_index=255) there
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
                         avg_non_ignore=True)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
