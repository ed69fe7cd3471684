# sipe_voc.py with ISL + FSL in the classifier.
_base_ = './sipe_voc.py'
name = 'SIPE + ISL + FSL + IRN'
stages = dict(classifier=dict(config='../sipe/hfpl-sipe_r50-d16_1xb16-5e_voc12aug-512x512.py'))
