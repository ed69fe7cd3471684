# psa / SEAM's AffinityNet labels of VOC train_aug: background powers 4 / 24.
_base_ = [
    '../_base_/models/confident-labels_psa.py', '../_base_/datasets/voc12aug_refine.py',
    '../_base_/schedules/refine_labels.py', '../_base_/seg_runtime.py'
]
train_dataloader = None
test_evaluator = dict(prefix='confident')
