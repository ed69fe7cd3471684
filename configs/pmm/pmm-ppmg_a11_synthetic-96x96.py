# PMM's pseudo-labels (PPMG) of the synthetic training images (see pmm-ppmg_a11_voc12aug.py).
_base_ = [
    '../_base_/datasets/synthetic_refine.py', '../_base_/schedules/refine_labels.py',
    '../_base_/seg_runtime.py'
]
model = dict(
    type='PMMLabeler',
    method='ppmg',
    alpha=11,
    cam_thr=0.05,
    cov_scale=0.3,
    channel_order='bgr',
    data_preprocessor=dict(type='SegDataPreProcessor', bgr_to_rgb=True))  # RGB in [0, 255]
train_dataloader = None
test_evaluator = dict(prefix='ppmg')
