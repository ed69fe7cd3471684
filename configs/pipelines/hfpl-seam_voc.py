# seam_voc.py with ISL + FSL in the classifier; with ISL the AffinityNet labels use the
# background powers 1 / 24 (hfpl paper sec. 5.1).
_base_ = './seam_voc.py'
name = 'SEAM + ISL + FSL'
stages = dict(
    classifier=dict(config='../seam/hfpl-seam_r38d_1xb8-8e_voc12aug-448x448.py'),
    refine_labels=dict(config='../refine/confident-labels_psa-a1-24_voc12aug.py'))
