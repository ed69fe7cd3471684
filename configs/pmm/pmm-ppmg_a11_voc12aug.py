# PMM's pseudo-labels of VOC train_aug (PPMG, Eli-YiLi/PMM pipeline/refine_cam.py): stage B's
# CAMs, CoV-sharpened (threshold 0.05, scale 0.3), one two-class CRF per class ((1 - v')^11,
# Gaussian 3 / compat 10, bilateral 80 / 13 / 10, BGR image as cv2 reads it), importance argmax.
_base_ = [
    '../_base_/datasets/voc12aug_refine.py', '../_base_/schedules/refine_labels.py',
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
