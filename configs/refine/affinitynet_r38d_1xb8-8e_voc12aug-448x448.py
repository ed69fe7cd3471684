# AffinityNet after SEAM on VOC train_aug (baselines.md section 2.5): ResNet-38, batch 8,
# 8 epochs, 448 crops, flip, colour jitter (no rescale, as SEAM), pairs within radius 5; random
# walk with beta 8, logt 6, background power 6. Train on the labels of
# confident-labels_psa-a4-24_voc12aug.py (hfpl-SEAM: confident-labels_psa-a1-24_voc12aug.py).
_base_ = [
    '../_base_/models/affinitynet_r38d.py', '../_base_/datasets/voc12aug_refine.py',
    '../_base_/schedules/affinitynet_sgd-poly_8e.py', '../_base_/seg_runtime.py'
]
crop_size = (448, 448)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    # torchvision ColorJitter(0.3, 0.3, 0.3, 0.1) of psa, in mmseg's terms
    dict(type='PhotoMetricDistortion', brightness_delta=38, contrast_range=(0.7, 1.3),
         saturation_range=(0.7, 1.3), hue_delta=18),
    dict(type='PackSegInputs'),
]
model = dict(data_preprocessor=dict(size=crop_size))
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
