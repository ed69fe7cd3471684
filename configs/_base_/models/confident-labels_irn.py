# IRN's confident labels (cam_to_ir_label): constant background scores 0.30 (foreground-
# confident map) and 0.05 (background-confident map), argmax, label-unary dense CRF (gt_prob
# 0.7, 10 iterations, Gaussian sxy 3 / compat 3, bilateral sxy 50 / srgb 5 / compat 10) on the
# RGB image; foreground where the first map says so, background where both say background,
# 255 elsewhere. No parameters: the Runner's test step writes and scores the labels.
model = dict(
    type='ConfidentLabeler',
    method='irn',
    conf_fg=0.30,
    conf_bg=0.05,
    crf=dict(iters=10, gaussian=(3, 3), bilateral=(50, 5, 10), gt_prob=0.7),
    data_preprocessor=dict(type='SegDataPreProcessor', bgr_to_rgb=True))  # RGB in [0, 255]
