# The embedded synthetic data set (VOC layout, 6 classes, 96x96), generated on first use from a
# seed into data_root. The default for the README's commands and the tests. Testing is
# pseudo-label generation for the training images, into <work_dir>/pseudo_labels.
dataset_type = 'SyntheticClsDataset'
data_root = 'data/synthetic'
crop_size = 96

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResize', scale=(96, 96), ratio_range=(0.8, 1.25), keep_ratio=True),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomCrop', crop_size=crop_size, pad_if_needed=True, pad_val=0),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='PackInputs', meta_keys=('sample_idx', 'img_path', 'seg_map_path', 'ori_shape',
                                       'img_shape', 'scale_factor', 'flip', 'flip_direction')),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        generate=True,
        ann_file='ImageSets/Segmentation/train.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        generate=True,
        ann_file='ImageSets/Segmentation/val.txt',
        pipeline=test_pipeline))
# testing = pseudo-labels of the training images
test_dataloader = dict(
    batch_size=16,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        generate=True,
        ann_file='ImageSets/Segmentation/train.txt',
        pipeline=test_pipeline))
val_evaluator = [dict(type='CAMMetric'), dict(type='AveragePrecision')]
test_evaluator = dict(type='PseudoLabelMetric', bg_thr=0.15)
