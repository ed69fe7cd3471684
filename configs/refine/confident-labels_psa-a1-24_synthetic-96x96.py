# hfpl-SEAM (ISL) on the synthetic set: AffinityNet labels with background powers 1 / 24
# (SEAM: 4 / 24), baselines.md section 3.4.
_base_ = './confident-labels_psa-a4-24_synthetic-96x96.py'
model = dict(alpha_fg=1)
