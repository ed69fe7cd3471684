# SIPE's confident labels (chenqi1126/SIPE cam2ir.py) of the synthetic training images: IRN's
# rule and label CRF with the IS-CAM's own background as is (fg-confident) and halved
# (bg-confident) instead of constant scores.
_base_ = './confident-labels_irn-fg30-bg05_synthetic-96x96.py'
model = dict(background='channel', conf_fg=1.0, conf_bg=0.5)
