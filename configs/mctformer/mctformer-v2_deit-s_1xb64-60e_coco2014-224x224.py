# MCTformer-V2 on COCO 2014 train (80 classes and class tokens), VOC's recipe (MCTformer's
# run_coco.sh trains the same model and schedule on COCO).
_base_ = [
    '../_base_/models/mctformer-v2_deit-s.py', '../_base_/datasets/coco2014_cls.py',
    '../_base_/schedules/mctformer_adamw-cosine_60e.py', '../_base_/default_runtime.py'
]
model = dict(
    data_preprocessor=dict(num_classes=80),
    backbone=dict(num_class_tokens=80),
    head=dict(num_classes=80))
train_dataloader = dict(batch_size=64, dataset=dict(pipeline={{_base_.mctformer_train_pipeline}}))
