# DeepLab-LargeFOV on the wide ResNet-38 (output stride 8): MCTformer's final segmentor
# (xulianuwa/MCTformer@9606597 seg/network/resnet38_seg.py): the 4096-d conv6 feeds two 3x3
# dilation-12 convs with bias (4096 -> 512, ReLU, 512 -> 21; Xavier-uniform), no normalisation or
# dropout in the head; logits upsampled bilinearly (align_corners=False) to the labels, cross
# entropy over the labelled pixels. The backbone is psa's ResNet-38 with every batch norm frozen
# in eval mode and conv1a frozen (its resnet38d.Net.train). ImageNet weights: the MXNet file
# converted with tools/model_converters/resnet38_mxnet.py (MCTformer starts from res38_cls.pth,
# an ImageNet ResNet-38).
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
        type='LargeFOVHead',
        in_channels=4096,
        in_index=0,
        channels=512,
        dilation=12,
        num_classes=21,
        norm_cfg=None,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
                         avg_non_ignore=True)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
