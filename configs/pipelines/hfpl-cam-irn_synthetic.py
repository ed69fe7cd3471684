# cam-irn_synthetic.py with ISL + FSL in the classifier.
_base_ = './cam-irn_synthetic.py'
name = 'CAM + ISL + FSL + IRN'
stages = dict(classifier=dict(config='../cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'))
