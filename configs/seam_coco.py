# Entry point: SEAM on COCO 2014 (configs/seam/README.md).
_base_ = './seam/seam_r38d_1xb8-8e_coco2014-448x448.py'
