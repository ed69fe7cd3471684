# The SEAM pipeline with ISL + FSL in the classifier; everything else unchanged.
_base_ = './seam_synthetic.py'
name = 'SEAM + ISL + FSL'
classifier = '../seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
# Placeholder (see seam_synthetic.py): with ISL the AffinityNet labels use background powers
# alpha 1 and 24 instead of 4 and 24 (paper sec. 5.1), e.g.
#   refine = dict(labels=dict(config='../refine/confident-labels_psa-a4-24_synthetic-96x96.py',
#                             **{'model.alpha_fg': 1}), net=...)
refine = None
