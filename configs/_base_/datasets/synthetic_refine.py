# The synthetic set (see synthetic_pseudo_seg.py) for the refinement stages: VOC's refinement
# loaders (voc12aug_refine.py) with the synthetic data, 96 px crops and smaller batches. Both
# read the training images:
# * train_dataloader: images + confident labels, to train AffinityNet / IRN. Set
#   train_dataloader.dataset.data_prefix.seg_map_path to the confident-label folder (the pipeline
#   tool does; the default, the ground truth, trains a fully supervised upper bound);
# * test_dataloader: images + CAMs of the pseudo-label stage (LoadCAMs: set its cam_dir) +
#   the ground-truth path, for confident-label generation or the random walk; the labels are
#   written to <work_dir>/pseudo_labels/labels and scored (J, F) like CAM pseudo-labels.
_base_ = './voc12aug_refine.py'
dataset_type = 'SyntheticSegDataset'
data_root = 'data/synthetic'
crop_size = (96, 96)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=(96, 96), ratio_range=(0.5, 1.5), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
_synthetic = dict(type=dataset_type, data_root=data_root, generate=True,
                  ann_file='ImageSets/Segmentation/train.txt',
                  data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'))
train_dataloader = dict(batch_size=16, num_workers=2,
                        dataset=dict(**_synthetic, pipeline=train_pipeline))
test_dataloader = dict(batch_size=16, num_workers=2, dataset=_synthetic)
