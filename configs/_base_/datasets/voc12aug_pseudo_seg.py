# PASCAL VOC 2012 + SBD for the final segmentation model of a WSSS pipeline: trained on the
# classifier stage's pseudo-labels of train_aug (10,582 images), validated on the ground truth
# of val (1,449 images) with J (mIoU), F (contour F-score) and J&F. Build the layout with
# tools/dataset_converters/voc_aug.py. Pipelines are mmseg's pascal_voc12.py ones.
dataset_type = 'VOCSegDataset'
data_root = 'data/VOCdevkit/VOC2012'
# Folder of the training masks (<id>.png: 0 background, 1..C classes, 255 ignored), absolute or
# relative to data_root. The default, the train_aug ground truth, trains the fully supervised
# upper bound; a WSSS run points train_dataloader.dataset.data_prefix.seg_map_path at its
# pseudo-labels (e.g. --cfg-options train_dataloader.dataset.data_prefix.seg_map_path=DIR).
# Set that key: this variable is substituted when this file is read, so redefining it in a
# child config or on the command line does not reach the data set.
pseudo_label_dir = 'SegmentationClassAug'
crop_size = (512, 512)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=(2048, 512), ratio_range=(0.5, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 512), keep_ratio=True),
    # masks are loaded after the resize: the metric compares predictions at the original size
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageSets/Segmentation/trainaug.txt',
        data_prefix=dict(img_path='JPEGImages', seg_map_path=pseudo_label_dir),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageSets/Segmentation/val.txt',
        data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# J = mIoU on the ground truth, F = contour F-score of the hfpl paper, J&F their mean
val_evaluator = dict(type='JFMetric')
test_evaluator = val_evaluator
