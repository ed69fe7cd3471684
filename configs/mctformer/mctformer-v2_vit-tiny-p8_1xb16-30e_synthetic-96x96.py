# MCTformer-V2 on the synthetic set from scratch on the CPU (minutes): a tiny ViT (patch 8 on
# 96x96 -> 12x12 tokens, 64 dims, 4 blocks, 2 heads, 6 class tokens, timm's truncated-normal
# init), AdamW lr 1e-3 (from scratch, not DeiT's fine-tuning rate) with 2 warm-up epochs and a
# cosine to 1e-5, 30 epochs, batch 16, float32 (mmengine's AMP needs CUDA), MCTformer's timm
# augmentation with crops of at least half the image (the 96 px images hold small objects).
# The fused CAMs use the last 2 of the 4 blocks (MCTformer: the last 3 of 12).
_base_ = [
    '../_base_/models/mctformer-v2_deit-s.py', '../_base_/datasets/synthetic_cls.py',
    '../_base_/schedules/mctformer_adamw-cosine_60e.py', '../_base_/default_runtime.py'
]
num_classes = 6
model = dict(
    data_preprocessor=dict(num_classes=num_classes),
    backbone=dict(
        arch=dict(
            _delete_=True, embed_dims=64, num_layers=4, num_heads=2, feedforward_channels=256),
        img_size=96,
        patch_size=8,
        num_class_tokens=num_classes,
        init_cfg=[
            dict(type='TruncNormal', layer='Linear', std=.02, bias=0.),
            dict(type='Constant', layer='LayerNorm', val=1., bias=0.)
        ]),
    head=dict(num_classes=num_classes, in_channels=64),
    cls_layers=2)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=96, crop_ratio_range=(0.5, 1.0), backend='pillow',
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandAugment', policies='timm_increasing', num_policies=2, total_level=10,
         magnitude_level=9, magnitude_std=0.5,
         hparams=dict(pad_val=[104, 116, 124], interpolation='bicubic')),
    dict(type='RandomErasing', erase_prob=0.25, mode='rand', min_area_ratio=0.02,
         max_area_ratio=1 / 3, fill_color=_base_.bgr_mean, fill_std=_base_.bgr_std),
    dict(type='PackInputs'),
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
lr = 1e-3
max_epochs = 30
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(lr=lr))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6 / lr, by_epoch=True, begin=0, end=2),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=2, end=max_epochs)
]
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=max_epochs))
