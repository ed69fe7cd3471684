# Dense-CRF refined CAM pseudo-labels (no network): background score 0.15 (the CAM pseudo-
# labels' threshold), argmax, IRN's label-unary CRF; no unsure pixels. As the refinement step of
# a pipeline: refine = dict(labels='../refine/crf-labels_bg15_synthetic-96x96.py').
_base_ = './confident-labels_irn-fg30-bg05_synthetic-96x96.py'
model = dict(method='crf', conf_fg=0.15)
test_evaluator = dict(prefix='refined')
