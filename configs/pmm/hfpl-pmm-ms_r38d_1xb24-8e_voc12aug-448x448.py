# PMM stage A + ISL + FSL (hfpl sec. 5.1: ISL only in stage A, FSL in both; SEAM's settings).
_base_ = ['./pmm-ms_r38d_1xb24-8e_voc12aug-448x448.py', '../_base_/models/hfpl-seam_losses.py']
model = dict(head=_base_.hfpl_seam_losses)
