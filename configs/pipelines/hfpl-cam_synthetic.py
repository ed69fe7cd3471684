# The CAM pipeline with ISL + FSL in the classifier; everything else unchanged.
_base_ = './cam_synthetic.py'
name = 'CAM + ISL + FSL'
classifier = '../cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'
