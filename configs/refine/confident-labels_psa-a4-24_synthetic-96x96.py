# psa / SEAM's AffinityNet labels of the synthetic training images: background powers 4 / 24.
_base_ = [
    '../_base_/models/confident-labels_psa.py', '../_base_/datasets/synthetic_refine.py',
    '../_base_/schedules/refine_labels.py', '../_base_/seg_runtime.py'
]
train_dataloader = None
test_evaluator = dict(prefix='confident')
