# SIPE + ISL + FSL on COCO 2014 (VOC's settings: the paper gives none for SIPE on COCO).
_base_ = ['./sipe_r50-d16_1xb16-5e_coco2014-512x512.py', '../_base_/models/hfpl-sipe_losses.py']
model = dict(head=_base_.hfpl_sipe_losses)
