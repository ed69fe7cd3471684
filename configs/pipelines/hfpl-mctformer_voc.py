# mctformer_voc.py with ISL + FSL in the classifier (hfpl paper sec. 5.1).
_base_ = './mctformer_voc.py'
name = 'MCTformer-V2 + ISL + FSL'
stages = dict(
    classifier=dict(config='../mctformer/hfpl-mctformer-v2_deit-s_1xb64-60e_voc12aug-224x224.py'))
