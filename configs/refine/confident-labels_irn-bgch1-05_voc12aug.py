# SIPE's confident labels (chenqi1126/SIPE cam2ir.py) of VOC train_aug: IRN's rule and label CRF
# with the IS-CAM's own background as is (fg-confident) and halved (bg-confident).
_base_ = './confident-labels_irn-fg30-bg05_voc12aug.py'
model = dict(background='channel', conf_fg=1.0, conf_bg=0.5)
