# cam-irn_voc.py with ISL + FSL in the classifier.
_base_ = './cam-irn_voc.py'
name = 'CAM + ISL + FSL + IRN'
stages = dict(classifier=dict(config='../cam/hfpl-cam_r50-d16_1xb16-5e_voc12aug-512x512.py'))
