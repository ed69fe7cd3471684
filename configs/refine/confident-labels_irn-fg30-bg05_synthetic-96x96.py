# IRN's confident labels (fg 0.30 / bg 0.05, label CRF) of the synthetic training images.
_base_ = [
    '../_base_/models/confident-labels_irn.py', '../_base_/datasets/synthetic_refine.py',
    '../_base_/schedules/refine_labels.py', '../_base_/seg_runtime.py'
]
train_dataloader = None
test_evaluator = dict(prefix='confident')
