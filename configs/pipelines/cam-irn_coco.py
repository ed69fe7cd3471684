# Plain CAM (ResNet-50) -> pseudo-labels -> IRN -> DeepLab-v3+ ResNet-101 on COCO 2014.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/coco2014.py', './_base_/imagenet.py']
name = 'CAM + IRN'
stages = dict(
    classifier=dict(
        config='../cam/cam_r50-d16_1xb16-5e_coco2014-512x512.py',
        options=_base_.resnet50_imagenet),
    refine_labels=dict(
        config='../refine/confident-labels_irn-fg30-bg05_voc12aug.py',
        options=_base_.coco_label_options),
    refine_net=dict(
        config='../refine/irn_r50_1xb32-3e_voc12aug-512x512.py',
        options=dict(**_base_.coco_refine_options, **_base_.resnet50_imagenet)),
    segmentor=dict(config='../seg/deeplabv3plus_r101-d8_1xb8-80k_coco2014-pseudo-512x512.py'))
