# Spatial-BCE (ResNet-38d, ImageNet weights) on VOC 2012 train_aug: initial phase (GAP-BCE,
# background score calibrated on VOC val) -> three phases, each with its CRF labels -> IRN
# (confident labels fg 0.60 / bg 0.25, ImageNet ResNet-50, random walk with background 0.25)
# -> DeepLab-v1 ResNet-38 (the papers' 'Res38' final model).
_base_ = ['./_base_/spatial-bce.py', './_base_/voc12aug.py', './_base_/imagenet.py']
name = 'Spatial-BCE'
_phase = '../spatial_bce/spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'
_crf = '../spatial_bce/crf-labels_spatial-bce_voc12aug.py'
stages = dict(
    init=dict(config='../spatial_bce/spatial-bce-init_r38d_1xb12-20e_voc12aug-369x369.py',
              options=_base_.resnet38d_imagenet),
    init_crf=dict(config=_crf),
    phase1=dict(config=_phase),
    phase1_crf=dict(config=_crf),
    phase2=dict(config=_phase),
    phase2_crf=dict(config=_crf),
    classifier=dict(config=_phase),
    refine_labels=dict(config='../refine/confident-labels_irn-fg60-bg25_voc12aug.py'),
    refine_net=dict(
        config='../refine/irn_r50_1xb32-3e_voc12aug-512x512.py',
        options={**_base_.resnet50_imagenet, 'model.walk.bg_thr': 0.25}),
    segmentor=dict(config='../seg/deeplabv1_r38d_1xb10-20k_voc12aug-pseudo-448x448.py'))
