# SEAM (ResNet-38d, PCM) on PASCAL VOC 2012 train_aug: batch 8, 8 epochs, 448 crops.
_base_ = [
    '../_base_/models/seam_r38d.py', '../_base_/datasets/voc12aug_cls.py',
    '../_base_/schedules/seam_sgd-poly_8e.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline={{_base_.seam_train_pipeline}}))
