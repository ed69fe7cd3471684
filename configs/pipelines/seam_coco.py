# SEAM (ResNet-38d) -> pseudo-labels -> AffinityNet (background powers 4 / 24) -> DeepLab-v3+
# ResNet-101 on COCO 2014.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/coco2014.py', './_base_/imagenet.py']
name = 'SEAM'
stages = dict(
    classifier=dict(
        config='../seam/seam_r38d_1xb8-8e_coco2014-448x448.py',
        options={'test_evaluator.bg_thr': 0.25}),
    refine_labels=dict(
        config='../refine/confident-labels_psa-a4-24_voc12aug.py',
        options=_base_.coco_label_options),
    refine_net=dict(
        config='../refine/affinitynet_r38d_1xb8-8e_voc12aug-448x448.py',
        options=dict(**_base_.coco_refine_options, **_base_.resnet38d_imagenet)),
    segmentor=dict(config='../seg/deeplabv3plus_r101-d8_1xb8-80k_coco2014-pseudo-512x512.py'))
