# PMM's stage B ("multi-crop", Eli-YiLi/PMM network/scalenet_SEAM.py, pipeline/train_cam.py,
# infer_multi_crop.py): SEAM's network and losses on ScaleNet-101 (output stride 8, every batch
# norm frozen, conv1 / bn1 / layer1 frozen), fc8 1x1 2048 -> 20 + 1 without bias and without
# dropout (Xavier-uniform), the PCM on layer2 / layer3; trained on crops of the multi-scale grid
# labelled by stage A's CRF regions (MultiCropSample), its CAMs inferred over the same grid x
# flips (MultiCropSEAM). An HFPL config adds only head.fsl (hfpl: FSL in both stages, ISL only
# in stage A).
# ImageNet weights: convert the public ScaleNet-101 file with tools/model_converters/scalenet.py
# (weights and branch allocation) and pass both, as the VOC pipeline does
# (configs/pipelines/_base_/pmm.py, scalenet101_imagenet): model.backbone.structure=<json>,
# model.backbone.init_cfg (Pretrained, prefix backbone.). Without them the backbone has an even
# branch allocation and Kaiming weights.
_base_ = './imagenet_data-preprocessors.py'
default_scope = 'mmpretrain'
model = dict(
    type='MultiCropSEAM',
    data_preprocessor=_base_.cls_data_preprocessor,
    backbone=dict(
        type='ScaleNet',
        depth=101,
        structure=None,
        base_channels=64,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 1, 1),
        out_indices=(1, 2, 3),  # layer2, layer3 (PCM), layer4 (fc8)
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True),
    neck=None,
    head=dict(
        type='CAMHead',
        num_classes=21,  # 20 classes + SEAM's background channel 0
        bg_channel=True,
        in_channels=2048,
        bias=False,
        dropout=0.,
        loss_map='branch1',
        isl_replaces='loss_cls1',
        isl_weight=0.5,
        init_cfg=dict(type='Xavier', layer='Conv2d', distribution='uniform')),
    pcm=dict(type='PixelCorrelationModule', in_channels=(512, 1024)),
    scale_factor=0.3,
    crop_cfg=dict(scales=(0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0), crop_size=448,
                  stride=300, flip=True))
# PMM's crop sample: a grid crop labelled by the CRF regions (region_dir: the pipeline sets it),
# flip, torchvision's ColorJitter on the RGB PIL image, resize to 448 x 448 (bilinear).
pmm_mc_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiCropSample', region_dir=None, crop_size=448, stride=300),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='NumpyToPIL', to_rgb=True),
    dict(type='torchvision/ColorJitter', brightness=0.3, contrast=0.3, saturation=0.3, hue=0.1),
    dict(type='PILToNumpy', to_bgr=True),
    dict(type='Resize', scale=(448, 448), keep_ratio=False, interpolation='bilinear'),
    dict(type='PackInputs'),
]
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
