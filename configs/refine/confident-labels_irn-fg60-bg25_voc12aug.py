# IRN's confident labels at hfpl's Spatial-BCE setting (conf_fg 0.60 / conf_bg 0.25, label
# CRF) of VOC train_aug.
_base_ = './confident-labels_irn-fg30-bg05_voc12aug.py'
model = dict(conf_fg=0.60, conf_bg=0.25)
