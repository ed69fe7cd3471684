# MCTformer-V2 (DeiT-S/16, 20 class tokens) on PASCAL VOC 2012 train_aug: batch 64, 60 epochs,
# 224 crops with timm's ImageNet training augmentation, AMP, from DeiT-S ImageNet weights
# (xulianuwa/MCTformer@9606597 run.sh). CAMs of train_aug at native size + flip.
_base_ = [
    '../_base_/models/mctformer-v2_deit-s.py', '../_base_/datasets/voc12aug_cls.py',
    '../_base_/schedules/mctformer_adamw-cosine_60e.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(batch_size=64, dataset=dict(pipeline={{_base_.mctformer_train_pipeline}}))
