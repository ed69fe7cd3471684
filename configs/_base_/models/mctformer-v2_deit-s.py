# MCTformer-V2 (https://arxiv.org/abs/2203.02891, code xulianuwa/MCTformer @ 9606597): DeiT-S/16
# (mmpretrain's VisionTransformer) with 20 class tokens, drop-path 0.1, no final LayerNorm; class
# scores = the mean of each class token, patch CAM = 3x3 conv 384 -> 20 with bias on the patch
# tokens (PyTorch's default init, as MCTformer's head), loss = MLSM(class tokens) + MLSM(GAP).
# CAMs: whole image at native size + flip, the class -> patch attention of the last 3 blocks
# times ReLU(patch CAM), refined by the patch -> patch attention of all blocks, min-max
# normalised. An HFPL config adds only head.isl / head.fsl: they attach to the patch CAM, ISL in
# place of its MLSM (eq. 16). ImageNet weights: convert DeiT-S's public checkpoint with
# tools/model_converters/deit_timm.py to the path below (or point the init_cfg elsewhere).
_base_ = './imagenet_data-preprocessors.py'
default_scope = 'mmpretrain'
model = dict(
    type='MCTformerV2',
    data_preprocessor=_base_.cls_data_preprocessor,
    backbone=dict(
        type='MCTViT',
        arch='deit-small',
        img_size=224,
        patch_size=16,
        num_class_tokens=20,
        drop_path_rate=0.1,
        init_cfg=dict(
            type='Pretrained', checkpoint='checkpoints/deit-small_imagenet.pth',
            prefix='backbone.')),
    neck=None,
    head=dict(
        type='CAMHead',
        num_classes=20,
        in_channels=384,
        kernel_size=3,
        bias=True,
        loss_map='patch',
        isl_replaces='loss_patch',
        init_cfg=None),
    attention_type='fused',
    cls_layers=3,
    patch_refine=True,
    cam_cfg=dict(scales=(1.0, ), flip=True))
# MCTformer's training augmentation (main.py: timm's ImageNet training transform at 224),
# used as the VOC / COCO configs' train pipeline: RandomResizedCrop (scale 0.08-1, bicubic),
# flip, RandAugment rand-m9-mstd0.5-inc1, random erasing p 0.25 with per-pixel Gaussian noise
# (mmpretrain's transforms, as its DeiT configs; the images are BGR here). timm skips the
# colour jitter (0.4) when RandAugment is on.
bgr_mean = [103.53, 116.28, 123.675]
bgr_std = [57.375, 57.12, 58.395]
mctformer_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, backend='pillow', interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandAugment', policies='timm_increasing', num_policies=2, total_level=10,
         magnitude_level=9, magnitude_std=0.5,
         hparams=dict(pad_val=[round(x) for x in bgr_mean], interpolation='bicubic')),
    dict(type='RandomErasing', erase_prob=0.25, mode='rand', min_area_ratio=0.02,
         max_area_ratio=1 / 3, fill_color=bgr_mean, fill_std=bgr_std),
    dict(type='PackInputs'),
]
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
