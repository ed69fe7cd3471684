# mctformer_synthetic.py with ISL + FSL in the classifier (hfpl paper sec. 5.1).
_base_ = './mctformer_synthetic.py'
name = 'MCTformer-V2 + ISL + FSL'
stages = dict(
    classifier=dict(
        config='../mctformer/hfpl-mctformer-v2_vit-tiny-p8_1xb16-30e_synthetic-96x96.py'))
