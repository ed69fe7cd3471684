# SEAM + ISL + FSL as arvijj/hfpl train_cam_voc.py: the public code's ISL / FSL on branch 1
# (_base_/models/hfpl-seam_losses.py; realised ISL weight 0.1 as it mixes into branch 1's
# classification loss). CAMs unchanged; the refinement stage uses CRF alpha 1 / 24 with ISL
# (paper sec. 5.1).
_base_ = ['./seam_voc.py', './_base_/models/hfpl-seam_losses.py']
model = dict(head=_base_.hfpl_seam_losses)
