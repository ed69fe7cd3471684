# SEAM (ResNet-38d) -> pseudo-labels (background 0.25, hfpl's SEAM evaluation) -> AffinityNet
# (confident labels from CRF-prob maps with background powers 4 / 24, ImageNet ResNet-38d,
# random walk) -> DeepLab-v2 ResNet-101 on VOC 2012 train_aug.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/voc12aug.py', './_base_/imagenet.py']
name = 'SEAM'
stages = dict(
    classifier=dict(
        config='../seam/seam_r38d_1xb8-8e_voc12aug-448x448.py',
        options={'test_evaluator.bg_thr': 0.25}),
    refine_labels=dict(config='../refine/confident-labels_psa-a4-24_voc12aug.py'),
    refine_net=dict(
        config='../refine/affinitynet_r38d_1xb8-8e_voc12aug-448x448.py',
        options=_base_.resnet38d_imagenet),
    segmentor=dict(config='../seg/deeplabv2_r101-d8_1xb8-20k_voc12aug-pseudo-512x512.py'))
