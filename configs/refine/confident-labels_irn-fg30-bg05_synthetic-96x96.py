# IRN's confident labels (fg 0.30 / bg 0.05, label CRF) of the synthetic training images, from
# the CAMs of the pseudo-label stage (set test_dataloader's LoadCAMs cam_dir; run_pipeline does).
_base_ = [
    '../_base_/models/confident-labels_irn.py', '../_base_/datasets/synthetic_refine.py',
    '../_base_/schedules/refine_labels.py', '../_base_/seg_runtime.py'
]
train_dataloader = None  # nothing to train
test_evaluator = dict(prefix='confident')
