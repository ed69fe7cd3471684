# SEAM (ResNet-38d, PCM) on COCO 2014 train (80 classes + background channel), VOC's recipe.
_base_ = [
    '../_base_/models/seam_r38d.py', '../_base_/datasets/coco2014_cls.py',
    '../_base_/schedules/seam_sgd-poly_8e.py', '../_base_/default_runtime.py'
]
model = dict(data_preprocessor=dict(num_classes=80), head=dict(num_classes=81))
train_dataloader = dict(batch_size=8, dataset=dict(pipeline={{_base_.seam_train_pipeline}}))
