# MCTformer's AffinityNet labels of the synthetic training images: CRF-prob maps with background
# powers 1 (foreground-confident) / 12 (background-confident), MCTformer's --low-alpha /
# --high-alpha (xulianuwa/MCTformer@9606597 engine.py _crf_with_alpha, psa's CRF).
_base_ = './confident-labels_psa-a4-24_synthetic-96x96.py'
model = dict(alpha_fg=1, alpha_bg=12)
