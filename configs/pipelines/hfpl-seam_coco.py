# seam_coco.py with ISL + FSL in the classifier and the AffinityNet labels' background powers
# 1 / 24.
_base_ = './seam_coco.py'
name = 'SEAM + ISL + FSL'
stages = dict(
    classifier=dict(config='../seam/hfpl-seam_r38d_1xb8-8e_coco2014-448x448.py'),
    refine_labels=dict(config='../refine/confident-labels_psa-a1-24_voc12aug.py'))
