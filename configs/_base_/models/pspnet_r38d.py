# PSPNet on the wide ResNet-38 (output stride 8), PMM's final model ("WideRes38",
# Eli-YiLi/WSSS_MMSeg configs/pspnet_wsss/pspnet_wres38-d8_20k_voc12aug*.py): PSP head (pool
# scales 1, 2, 3, 6, 512 channels, dropout 0.1) on conv6 (4096), auxiliary FCN head (256
# channels, x0.4) on conv5 (1024), trainable batch norm (SyncBN there), both heads with the
# pretended under-fitting cross-entropy (PUF: clamp at 0.5 once the batch mean is below 0.5;
# the cyclic-mask retraining replaces it by plain CE). Test: PMM's (CRFEncoderDecoder) slide
# 512 / 480, softmax averaged over ratios 0.5-1.75 and flips, dense CRF.
# ImageNet weights: convert the MXNet file with tools/model_converters/resnet38_mxnet.py to the
# path below (or point model.backbone.init_cfg.checkpoint elsewhere).
_base_ = './imagenet_data-preprocessors.py'
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = _base_.seg_data_preprocessor
puf_loss = dict(type='PUFCrossEntropyLoss', beta=0.5, k=0.5, mode='clamp')
model = dict(
    type='CRFEncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ResNet38d',
        base_channels=64,
        out_indices=(4, 6),  # conv5 (auxiliary head), conv6 (PSP head)
        norm_cfg=norm_cfg,
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/resnet38d_ilsvrc-mxnet.pth',
            prefix='backbone.')),
    decode_head=dict(
        type='PSPHead',
        in_channels=4096,
        in_index=1,
        channels=512,
        pool_scales=(1, 2, 3, 6),
        dropout_ratio=0.1,
        num_classes=21,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(puf_loss, loss_weight=1.0)),
    auxiliary_head=dict(
        type='FCNHead',
        in_channels=1024,
        in_index=0,
        channels=256,
        num_convs=1,
        concat_input=False,
        dropout_ratio=0.1,
        num_classes=21,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(puf_loss, loss_weight=0.4)),
    train_cfg=dict(),
    test_cfg=dict(
        mode='slide', crop_size=(512, 512), stride=(480, 480),
        ratios=(0.5, 0.75, 1.0, 1.25, 1.5, 1.75), flip=True, crf=dict()))
