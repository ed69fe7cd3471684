# hfpl-SEAM's AffinityNet labels of the synthetic set: background powers 1 / 24.
_base_ = './confident-labels_psa-a4-24_synthetic-96x96.py'
model = dict(alpha_fg=1)
