# SEAM + ISL + FSL on COCO 2014, as arvijj/hfpl's train_cam_coco.py (FSL weight 0.2).
_base_ = ['./seam_r38d_1xb8-8e_coco2014-448x448.py', '../_base_/models/hfpl-seam_losses.py']
model = dict(head=dict(isl=_base_.hfpl_seam_losses.isl,
                       fsl=dict(_base_.hfpl_seam_losses.fsl, loss_weight=0.2)))
