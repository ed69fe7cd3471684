# IRN's confident labels (fg 0.30 / bg 0.05, label CRF) of VOC train_aug, for IRN after plain
# CAM, SIPE or Spatial-BCE (the latter with --cfg-options model.conf_fg=0.60 model.conf_bg=0.25,
# baselines.md section 7.5), from the pseudo-label stage's CAMs (set LoadCAMs cam_dir).
_base_ = [
    '../_base_/models/confident-labels_irn.py', '../_base_/datasets/voc12aug_refine.py',
    '../_base_/schedules/refine_labels.py', '../_base_/seg_runtime.py'
]
train_dataloader = None  # nothing to train
test_evaluator = dict(prefix='confident')
