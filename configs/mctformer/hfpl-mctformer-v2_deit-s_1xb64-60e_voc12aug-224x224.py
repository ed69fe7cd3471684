# MCTformer-V2 + ISL + FSL on VOC train_aug (hfpl paper sec. 5.1).
_base_ = [
    './mctformer-v2_deit-s_1xb64-60e_voc12aug-224x224.py', '../_base_/models/hfpl-mctformer_losses.py'
]
model = dict(head=_base_.hfpl_mctformer_losses)
