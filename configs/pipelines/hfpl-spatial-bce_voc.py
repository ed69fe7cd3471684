# spatial-bce_voc.py with ISL + FSL in the three Spatial-BCE phases; the random walk's
# background score is hfpl's 0.40 (its value with FSL).
_base_ = './spatial-bce_voc.py'
name = 'Spatial-BCE + ISL + FSL'
stages = dict(
    phase1=dict(
        config='../spatial_bce/hfpl-spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'),
    phase2=dict(
        config='../spatial_bce/hfpl-spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'),
    classifier=dict(
        config='../spatial_bce/hfpl-spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'),
    refine_net=dict(options={'model.walk.bg_thr': 0.40}))
