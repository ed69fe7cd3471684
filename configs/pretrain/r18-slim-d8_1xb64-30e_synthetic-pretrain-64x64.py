# Pretraining of the synthetic CAM / IRN backbone (ResNet-18 slim, OS 8) on the synthetic
# classification set: the stand-in for the ImageNet weights the paper's baselines start from.
# The synthetic pipelines load its checkpoint into their backbones with
# init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=...).
_base_ = [
    '../_base_/models/imagenet_data-preprocessors.py', '../_base_/models/r18-slim-d8.py',
    '../_base_/datasets/synthetic_pretrain.py', '../_base_/schedules/pretrain_sgd-cos_30e.py',
    '../_base_/default_runtime.py'
]
default_scope = 'mmpretrain'
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(_base_.cls_data_preprocessor, num_classes=32, to_onehot=False),
    # pretrained at output stride 32 (as ImageNet weights are); the weights do not depend on
    # the strides / dilations, which the fine-tuning nets set to their own OS 8
    backbone=dict(type='ResNet', **dict(_base_.r18_slim_d8, strides=(1, 2, 2, 2),
                                        dilations=(1, 1, 1, 1)),
                  out_indices=(3, ), frozen_stages=-1, norm_eval=False),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=32, in_channels=128,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
