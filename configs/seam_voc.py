# Entry point: SEAM on VOC (configs/seam/README.md).
_base_ = './seam/seam_r38d_1xb8-8e_voc12aug-448x448.py'
