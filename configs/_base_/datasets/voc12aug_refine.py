# PASCAL VOC 2012 + SBD (train_aug, 10,582 images) for the refinement stages, in the mmseg scope
# (image + label map transformed together); see synthetic_refine.py for the two loaders.
# Training follows IRN (random rescale 0.5-1.5, flip, 512 crop; padding is ignored); AffinityNet
# configs change the crop and add colour jitter. Inference reads the train_aug masks of
# SegmentationClassAug for J / F, one image per batch (sizes differ).
dataset_type = 'VOCSegDataset'
data_root = 'data/VOCdevkit/VOC2012'
crop_size = (512, 512)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=(512, 512), ratio_range=(0.5, 1.5), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCAMs', cam_dir=None),
    # cam_bg: the CAMs' own background when their files hold one (SIPE's IS-CAM)
    dict(type='PackSegInputs', meta_keys=('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                                          'cams', 'cam_labels', 'cam_bg')),
]
_trainaug = dict(type=dataset_type, data_root=data_root,
                 ann_file='ImageSets/Segmentation/trainaug.txt',
                 data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug'))
train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**_trainaug, pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**_trainaug, pipeline=test_pipeline))
test_evaluator = dict(type='RefinedLabelMetric')
