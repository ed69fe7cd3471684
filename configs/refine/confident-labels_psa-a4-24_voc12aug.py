# SEAM's confident labels for AffinityNet (CRF-prob alpha 4 / 24) of VOC train_aug, from the
# pseudo-label stage's CAMs (set LoadCAMs cam_dir).
_base_ = [
    '../_base_/models/confident-labels_psa.py', '../_base_/datasets/voc12aug_refine.py',
    '../_base_/schedules/refine_labels.py', '../_base_/seg_runtime.py'
]
train_dataloader = None  # nothing to train
test_evaluator = dict(prefix='confident')
