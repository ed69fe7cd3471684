# PMM's crop-label source of VOC train_aug: stage A's CAMs, CRF-prob(alpha 24) with psa / SEAM's
# CRF on the RGB image, regions where a class's posterior exceeds 0.9 (PMMLabeler 'crf_regions').
_base_ = [
    '../_base_/datasets/voc12aug_refine.py', '../_base_/schedules/refine_labels.py',
    '../_base_/seg_runtime.py'
]
model = dict(
    type='PMMLabeler',
    method='crf_regions',
    alpha=24,
    region_thr=0.9,
    data_preprocessor=dict(type='SegDataPreProcessor', bgr_to_rgb=True))  # RGB in [0, 255]
train_dataloader = None
test_evaluator = dict(prefix='regions')
