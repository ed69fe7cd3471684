# The embedded synthetic data set (VOC layout, 6 classes + background, 96x96 images), generated
# on first use from a seed into data_root (the classifier stage's data_root, so both stages read
# the same images): VOC's loaders (voc12aug_pseudo_seg.py), trained on the pseudo-labels of train
# (400 images), validated on the ground truth of val (100 images) with J, F and J&F. Colour
# jitter is left out: on these data colour is what tells several classes apart.
_base_ = './voc12aug_pseudo_seg.py'
dataset_type = 'SyntheticSegDataset'
data_root = 'data/synthetic'
# see voc12aug_pseudo_seg.py: set train_dataloader.dataset.data_prefix.seg_map_path to the
# pseudo-labels; the default is the ground truth of train
pseudo_label_dir = 'SegmentationClass'
crop_size = (96, 96)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=(96, 96), ratio_range=(0.75, 1.5), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
_synthetic = dict(type=dataset_type, data_root=data_root, generate=True)
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(**_synthetic, ann_file='ImageSets/Segmentation/train.txt',
                 data_prefix=dict(seg_map_path=pseudo_label_dir), pipeline=train_pipeline))
val_dataloader = dict(num_workers=2, dataset=dict(**_synthetic, pipeline=test_pipeline))
test_dataloader = val_dataloader
