# sipe_synthetic.py with ISL + FSL in the classifier.
_base_ = './sipe_synthetic.py'
name = 'SIPE + ISL + FSL + IRN'
stages = dict(classifier=dict(config='../sipe/hfpl-sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py'))
