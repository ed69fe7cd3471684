# spatial-bce_synthetic.py with ISL + FSL in the three Spatial-BCE phases (not in the initial
# GAP-BCE phase, our stand-in for the public initial weights); the random walk's background
# score is hfpl's 0.40 (its value with FSL).
_base_ = './spatial-bce_synthetic.py'
name = 'Spatial-BCE + ISL + FSL'
stages = dict(
    phase1=dict(
        config='../spatial_bce/hfpl-spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'),
    phase2=dict(
        config='../spatial_bce/hfpl-spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'),
    classifier=dict(
        config='../spatial_bce/hfpl-spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'),
    refine_net=dict(options={'model.walk.bg_thr': 0.40}))
