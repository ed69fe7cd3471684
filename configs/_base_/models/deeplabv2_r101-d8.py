# DeepLab-v2 (ASPP-L) on a dilated ResNet-101, output stride 8: four parallel 3x3 convolutions
# with dilation 6, 12, 18, 24 straight to the class scores, summed (hfpl_mm DeepLabV2Head).
# The backbone is mmseg's ResNetV1c, as in mmseg's DeepLab-v3(+) configs, so the same ImageNet
# checkpoint initialises both. No weights are downloaded: pass a local checkpoint with
# `--cfg-options model.pretrained=/path/to/resnet101_v1c.pth`.
# Differences from deeplab-pytorch's DeepLab-v2 (used by SIPE / Spatial-BCE): no multi-scale
# input fusion (MSC), batch norm trained (SyncBN, reverted to BN by mmengine when not
# distributed) instead of frozen caffe BN, one learning rate for all parameters.
_base_ = './imagenet_data-preprocessors.py'
norm_cfg = dict(type='SyncBN', requires_grad=True)
data_preprocessor = _base_.seg_data_preprocessor
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ResNetV1c',
        depth=101,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True),
    decode_head=dict(
        type='DeepLabV2Head',
        in_channels=2048,
        in_index=3,
        dilations=(6, 12, 18, 24),
        dropout_ratio=0.,
        num_classes=21,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    # model training and testing settings
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
