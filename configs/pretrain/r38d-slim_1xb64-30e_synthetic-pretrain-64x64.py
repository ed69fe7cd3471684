# Pretraining of the synthetic SEAM / AffinityNet backbone (ResNet-38d at 1/8 width) on the
# synthetic classification set: the stand-in for the ImageNet ResNet-38d weights of SEAM / PSA.
# The synthetic pipelines load its checkpoint into their backbones with
# init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=...).
_base_ = [
    '../_base_/models/imagenet_data-preprocessors.py', '../_base_/datasets/synthetic_pretrain.py',
    '../_base_/schedules/pretrain_sgd-cos_30e.py', '../_base_/default_runtime.py'
]
default_scope = 'mmpretrain'
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(_base_.cls_data_preprocessor, num_classes=32, to_onehot=False),
    backbone=dict(type='ResNet38d', base_channels=8, out_indices=(6, ), frozen_stages=-1,
                  norm_cfg=dict(type='BN', requires_grad=True), norm_eval=False,
                  init_cfg=dict(type='Kaiming', layer='Conv2d')),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=32, in_channels=512,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
