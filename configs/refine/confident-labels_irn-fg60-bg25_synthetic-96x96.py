# IRN's confident labels at hfpl's Spatial-BCE setting (conf_fg 0.60 / conf_bg 0.25, label
# CRF) of the synthetic training images.
_base_ = './confident-labels_irn-fg30-bg05_synthetic-96x96.py'
model = dict(conf_fg=0.60, conf_bg=0.25)
