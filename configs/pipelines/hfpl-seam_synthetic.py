# seam_synthetic.py with ISL + FSL in the classifier; with ISL the AffinityNet labels use the
# background powers 1 / 24 (hfpl paper sec. 5.1).
_base_ = './seam_synthetic.py'
name = 'SEAM + ISL + FSL'
stages = dict(
    classifier=dict(config='../seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'),
    refine_labels=dict(config='../refine/confident-labels_psa-a1-24_synthetic-96x96.py'))
