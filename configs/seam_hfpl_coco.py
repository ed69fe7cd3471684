# SEAM + ISL + FSL on COCO: as on VOC with the FSL scaled by 0.2 (paper sec. 5.1).
_base_ = ['./seam_coco.py', './_base_/models/hfpl-seam_losses.py']
model = dict(head=dict(isl=_base_.hfpl_seam_losses.isl,
                       fsl=dict(_base_.hfpl_seam_losses.fsl, loss_weight=0.2)))
