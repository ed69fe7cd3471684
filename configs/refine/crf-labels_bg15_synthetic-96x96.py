# Dense-CRF refined CAM pseudo-labels of the synthetic set (background score 0.15, no network).
_base_ = './confident-labels_irn-fg30-bg05_synthetic-96x96.py'
model = dict(method='crf', conf_fg=0.15)
test_evaluator = dict(prefix='refined')
