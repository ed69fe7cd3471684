# hfpl-SEAM's AffinityNet labels of VOC train_aug: background powers 1 / 24.
_base_ = './confident-labels_psa-a4-24_voc12aug.py'
model = dict(alpha_fg=1)
