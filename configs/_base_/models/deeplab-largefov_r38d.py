# DeepLab-LargeFOV on the wide ResNet-38 (output stride 8): MCTformer's final segmentor
# (xulianuwa/MCTformer@9606597 seg/network/resnet38_seg.py). The backbone is DeepLab-v1's (psa's
# ResNet-38, every batch norm frozen, conv1a frozen; ImageNet weights converted with
# tools/model_converters/resnet38_mxnet.py: MCTformer starts from res38_cls.pth, an ImageNet
# ResNet-38); the head differs: the 4096-d conv6 feeds two 3x3 dilation-12 convs with bias
# (4096 -> 512, ReLU, 512 -> 21; Xavier-uniform), no normalisation or dropout; logits upsampled
# bilinearly with align_corners=False, cross entropy over the labelled pixels.
_base_ = './deeplabv1_r38d.py'
model = dict(
    decode_head=dict(
        _delete_=True,
        type='LargeFOVHead',
        in_channels=4096,
        in_index=0,
        channels=512,
        dilation=12,
        num_classes=21,
        norm_cfg=None,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
                         avg_non_ignore=True)))
