# PMM on the synthetic set, CPU-sized: stage A (slim SEAM) -> CRF regions -> stage B (slim
# ScaleNet on the crop grid) -> PPMG -> slim PSPNet with PUF -> cyclic masks -> slim PSPNet.
# Both CAM stages write their labels at the background score best on the validation images.
_base_ = ['./_base_/pmm.py', './_base_/synthetic.py']
name = 'PMM'
stages = dict(
    classifier=dict(
        _base_.val_calibrated,
        config='../pmm/pmm-ms_r38d-slim_1xb16-8e_synthetic-96x96.py',
        report=dict(val='stage-A CAM (val)', test='stage-A CAM')),
    crf_regions=dict(config='../pmm/pmm-crf-regions_a24_synthetic-96x96.py'),
    multi_crop=dict(
        _base_.val_calibrated,
        config='../pmm/pmm-mc_scalenet50-slim_1xb16-8e_synthetic-96x96.py',
        report=dict(val='stage-B CAM (val)', test='stage-B CAM')),
    ppmg=dict(config='../pmm/pmm-ppmg_a11_synthetic-96x96.py'),
    segmentor_puf=dict(
        config='../pmm/pmm-pspnet-puf_r38d-slim_1xb16-300iters_synthetic-pseudo-96x96.py'),
    cyclic_masks=dict(config='../pmm/pmm-cyclic-masks_r38d-slim_synthetic-96x96.py'),
    segmentor=dict(config='../pmm/pmm-pspnet_r38d-slim_1xb16-300iters_synthetic-pseudo-96x96.py'))
