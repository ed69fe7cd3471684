# Spatial-BCE (ResNet-38d slim): initial phase -> three phases, each with its CRF labels ->
# IRN (confident labels fg 0.60 / bg 0.25, IRN on the classifier's backbone, random walk with
# background 0.25) -> DeepLab-v3+ on the synthetic set.
_base_ = ['./_base_/spatial-bce.py', './_base_/synthetic.py']
name = 'Spatial-BCE'
_phase = '../spatial_bce/spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'
_crf = '../spatial_bce/crf-labels_spatial-bce_synthetic-96x96.py'
stages = dict(
    init=dict(config='../spatial_bce/spatial-bce-init_r38d-slim_1xb16-6e_synthetic-96x96.py'),
    init_crf=dict(config=_crf),
    phase1=dict(config=_phase),
    phase1_crf=dict(config=_crf),
    phase2=dict(config=_phase),
    phase2_crf=dict(config=_crf),
    classifier=dict(config=_phase),
    refine_labels=dict(config='../refine/confident-labels_irn-fg60-bg25_synthetic-96x96.py'),
    refine_net=dict(
        config='../refine/irn_r38d-slim_1xb16-4e_synthetic-96x96.py',
        inputs=_base_.init_from_classifier['inputs'],
        options={**_base_.init_from_classifier['options'], 'model.walk.bg_thr': 0.25}),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
