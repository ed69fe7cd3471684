# hfpl-SEAM (ISL): the background powers of the AffinityNet labels become 1 / 24 (SEAM: 4 / 24),
# baselines.md section 3.4.
_base_ = './confident-labels_psa-a4-24_voc12aug.py'
model = dict(alpha_fg=1)
