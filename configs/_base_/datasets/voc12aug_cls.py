# PASCAL VOC 2012 + SBD (train_aug, 10,582 images) with image-level labels, for CAM classifiers.
# Build the layout with tools/dataset_converters/voc_aug.py. Validation reports the CAM quality
# (J, F) on VOC `train` (1,464 images with masks), as WSSS papers do, and the mAP. Testing is
# pseudo-label generation: CAMs and labels of train_aug, written to <work_dir>/pseudo_labels.
dataset_type = 'VOCClsDataset'
data_root = 'data/VOCdevkit/VOC2012'
crop_size = 512

train_pipeline = [
    dict(type='LoadImageFromFile'),
    # long side in [320, 640] as IRN / SIPE
    dict(type='RandomResize', scale=(512, 512), ratio_range=(0.625, 1.25), keep_ratio=True),
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
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageSets/Segmentation/trainaug.txt',
        data_prefix=dict(img_path='JPEGImages'),  # no masks needed for training
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageSets/Segmentation/train.txt',
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageSets/Segmentation/trainaug.txt',
        pipeline=test_pipeline))
# The paper's CAM protocol (hfpl `eval_cam_voc.py --curve`): background scores 0.00 ... 0.59.
# CAMMetric also offers hfpl's plain-mean mIoU (mean='plain') and F at a fixed score
# (f_bg_thr=0.25, as hfpl scores SEAM's CAMs); the defaults are mmseg's nanmean and F at the best J.
bg_thresholds = [round(0.01 * i, 2) for i in range(60)]
val_evaluator = [dict(type='CAMMetric', bg_thresholds=bg_thresholds),
                 dict(type='AveragePrecision')]
test_evaluator = dict(type='PseudoLabelMetric', bg_thr=0.15, bg_thresholds=bg_thresholds)
