# MCTformer-V2 + ISL + FSL on COCO 2014 train (hfpl paper sec. 5.1).
_base_ = [
    './mctformer-v2_deit-s_1xb64-60e_coco2014-224x224.py', '../_base_/models/hfpl-mctformer_losses.py'
]
model = dict(head=_base_.hfpl_mctformer_losses)
