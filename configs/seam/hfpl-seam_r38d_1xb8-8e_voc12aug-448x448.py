# SEAM + ISL + FSL on VOC train_aug, as arvijj/hfpl's train_cam_voc.py.
_base_ = ['./seam_r38d_1xb8-8e_voc12aug-448x448.py', '../_base_/models/hfpl-seam_losses.py']
model = dict(head=_base_.hfpl_seam_losses)
