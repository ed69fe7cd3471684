# Entry point: SEAM + ISL + FSL on VOC (configs/seam/README.md).
_base_ = './seam/hfpl-seam_r38d_1xb8-8e_voc12aug-448x448.py'
