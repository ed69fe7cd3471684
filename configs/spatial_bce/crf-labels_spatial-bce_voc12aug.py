# Spatial-BCE's CRF labels of a phase on VOC train_aug; see the synthetic config.
_base_ = '../refine/confident-labels_irn-fg30-bg05_voc12aug.py'
model = dict(method='crf', conf_fg=0.,
             crf=dict(iters=10, gaussian=(3, 3), bilateral=(40, 5, 10), gt_prob=0.7))
test_evaluator = dict(prefix='crf')
