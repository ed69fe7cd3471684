# psa / SEAM's confident labels for AffinityNet: CRF-prob(alpha) maps, background score
# (1 - max cam)^alpha with alpha 4 (foreground-confident) and 24 (background-confident),
# probability-unary dense CRF (10 iterations, Gaussian 3 / 3, bilateral sxy 80 / srgb 13 /
# compat 10), argmax; foreground where the alpha-4 map says so, background wherever the alpha-24
# map says background, 255 elsewhere. No parameters: the Runner's test step writes the labels.
model = dict(
    type='ConfidentLabeler',
    method='psa',
    alpha_fg=4,
    alpha_bg=24,
    crf=dict(iters=10, gaussian=(3, 3), bilateral=(80, 13, 10)),
    data_preprocessor=dict(type='SegDataPreProcessor', bgr_to_rgb=True))  # RGB in [0, 255]
