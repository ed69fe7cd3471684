# Plain CAM (ResNet-50) -> pseudo-labels -> IRN (confident labels fg 0.30 / bg 0.05, IRN on
# ImageNet ResNet-50, random walk) -> DeepLab-v2 ResNet-101 on VOC 2012 train_aug.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/voc12aug.py', './_base_/imagenet.py']
name = 'CAM + IRN'
stages = dict(
    classifier=dict(
        config='../cam/cam_r50-d16_1xb16-5e_voc12aug-512x512.py',
        options=_base_.resnet50_imagenet),
    refine_labels=dict(config='../refine/confident-labels_irn-fg30-bg05_voc12aug.py'),
    refine_net=dict(
        config='../refine/irn_r50_1xb32-3e_voc12aug-512x512.py',
        options=_base_.resnet50_imagenet),
    segmentor=dict(config='../seg/deeplabv2_r101-d8_1xb8-20k_voc12aug-pseudo-512x512.py'))
