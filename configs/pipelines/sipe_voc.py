# SIPE (ResNet-50) -> IS-CAM pseudo-labels -> IRN (SIPE's confident labels and walk, ImageNet
# ResNet-50) -> DeepLab-v2 ResNet-101 (the paper's "Res101" row; the "Res38" row:
# --cfg-options stages.segmentor.config=../seg/deeplabv1_r38d_1xb10-20k_voc12aug-pseudo-448x448.py
# with stages.segmentor.options.model.backbone.init_cfg from _base_/imagenet.py) on VOC 2012
# train_aug.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/voc12aug.py', './_base_/imagenet.py',
          './_base_/sipe-irn.py']
name = 'SIPE + IRN'
stages = dict(
    classifier=dict(
        config='../sipe/sipe_r50-d16_1xb16-5e_voc12aug-512x512.py',
        options=_base_.resnet50_imagenet),
    refine_labels=dict(config='../refine/confident-labels_irn-bgch1-05_voc12aug.py'),
    refine_net=dict(
        config='../refine/irn_r50_1xb32-3e_voc12aug-512x512.py',
        options=dict(**_base_.resnet50_imagenet, **_base_.sipe_walk)),
    segmentor=dict(config='../seg/deeplabv2_r101-d8_1xb8-20k_voc12aug-pseudo-512x512.py'))
