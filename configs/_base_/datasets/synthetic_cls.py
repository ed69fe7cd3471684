# The embedded synthetic data set (VOC layout, 6 classes, 96x96), generated on first use from a
# seed into data_root; the default of the README's commands and of the tests. VOC's loaders and
# evaluators with the synthetic data, 96 px crops and larger evaluation batches. Testing is
# pseudo-label generation for the training images, into <work_dir>/pseudo_labels.
_base_ = './voc12aug_cls.py'
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
train_dataloader = dict(
    num_workers=2,
    dataset=dict(type=dataset_type, data_root=data_root, generate=True,
                 ann_file='ImageSets/Segmentation/train.txt', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    dataset=dict(type=dataset_type, data_root=data_root, generate=True,
                 ann_file='ImageSets/Segmentation/val.txt'))
test_dataloader = dict(
    batch_size=16,
    dataset=dict(type=dataset_type, data_root=data_root, generate=True,
                 ann_file='ImageSets/Segmentation/train.txt'))
# The background sweep reaches 0.95 (VOC's public curve stops below 0.60): the synthetic CAMs
# are calibrated differently, SEAM's PCM CAMs peak at or above 0.60.
bg_thresholds = [round(0.05 * i, 2) for i in range(1, 20)]
val_evaluator = [dict(type='CAMMetric', bg_thresholds=bg_thresholds),
                 dict(type='AveragePrecision')]
test_evaluator = dict(bg_thresholds=bg_thresholds)
