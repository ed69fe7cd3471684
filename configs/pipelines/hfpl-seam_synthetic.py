# The SEAM pipeline with ISL + FSL in the classifier; with ISL the AffinityNet labels use the
# background powers alpha 1 / 24 instead of 4 / 24 (paper sec. 5.1, baselines.md section 3.4).
# The CAM recalibration (cam_power) and the rest of the pipeline as in seam_synthetic.py.
_base_ = './seam_synthetic.py'
name = 'SEAM + ISL + FSL'
classifier = '../seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
refine = dict(labels='../refine/confident-labels_psa-a1-24_synthetic-96x96.py')
