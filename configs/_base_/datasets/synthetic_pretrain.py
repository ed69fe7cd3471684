# The synthetic pretraining set (hfpl_mm.datasets.synthetic_pretrain): 32 single-object classes,
# 60 training / 10 validation images each, 96x96, generated on first use into data_root; the
# synthetic stand-in for ImageNet. Trained at 64 px (random resized crops), as ImageNet
# pretraining works at a lower resolution than the WSSS fine-tuning.
dataset_type = 'SyntheticPretrainDataset'
data_root = 'data/synthetic_pretrain'
pretrain_cfg = dict(seed=0)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.35, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=64, edge='short'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', generate=True,
                 pretrain_cfg=pretrain_cfg, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='val', generate=True,
                 pretrain_cfg=pretrain_cfg, pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
