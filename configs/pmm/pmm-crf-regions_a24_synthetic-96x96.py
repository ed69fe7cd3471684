# PMM's crop-label source of the synthetic training images (see pmm-crf-regions_a24_voc12aug.py).
_base_ = [
    '../_base_/datasets/synthetic_refine.py', '../_base_/schedules/refine_labels.py',
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
