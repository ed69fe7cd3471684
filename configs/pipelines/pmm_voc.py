# PMM on VOC 2012 train_aug: stage A (SEAM, ImageNet ResNet-38d; labels at hfpl's SEAM
# background 0.25) -> CRF regions (alpha 24) -> stage B (SEAM on ImageNet ScaleNet-101, crop
# grid) -> PPMG -> PSPNet ResNet-38d with PUF -> cyclic masks of train_aug -> PSPNet on them.
_base_ = ['./_base_/pmm.py', './_base_/voc12aug.py']
name = 'PMM'
stages = dict(
    classifier=dict(
        config='../pmm/pmm-ms_r38d_1xb24-8e_voc12aug-448x448.py',
        options={'test_evaluator.bg_thr': 0.25}),
    crf_regions=dict(config='../pmm/pmm-crf-regions_a24_voc12aug.py'),
    multi_crop=dict(config='../pmm/pmm-mc_scalenet101_1xb16-20e_voc12aug-448x448.py',
                    options=_base_.scalenet101_imagenet),
    ppmg=dict(config='../pmm/pmm-ppmg_a11_voc12aug.py'),
    segmentor_puf=dict(config='../pmm/pmm-pspnet-puf_r38d_1xb16-20k_voc12aug-pseudo-512x512.py'),
    cyclic_masks=dict(config='../pmm/pmm-cyclic-masks_r38d_voc12aug-512x512.py'),
    segmentor=dict(config='../pmm/pmm-pspnet_r38d_1xb16-20k_voc12aug-pseudo-512x512.py'))
