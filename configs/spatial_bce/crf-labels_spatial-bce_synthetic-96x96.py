# Spatial-BCE's CRF labels of a phase (make_crf.py of allenwu97/Spatial-BCE): the phase's CAMs,
# whose background is at 0 (learned thresholds or the calibrated constant subtracted), argmax
# against background 0, label-unary dense CRF (gt_prob 0.7, 10 iterations, Gaussian 3 / 3,
# bilateral sxy 40 / srgb 5 / compat 10). Their foreground ratios are the next phase's rho.
_base_ = '../refine/confident-labels_irn-fg30-bg05_synthetic-96x96.py'
model = dict(method='crf', conf_fg=0.,
             crf=dict(iters=10, gaussian=(3, 3), bilateral=(40, 5, 10), gt_prob=0.7))
test_evaluator = dict(prefix='crf')
