# SEAM -> pseudo-labels -> AffinityNet (confident labels from CRF-prob maps with background
# powers 4 / 24, ResNet-38d started from the classifier, random walk) -> DeepLab-v3+ on the
# synthetic set. The synthetic SEAM CAMs are read cubed (see configs/pipelines/README.md).
_base_ = ['./_base_/cam-refine-seg.py', './_base_/synthetic.py']
name = 'SEAM'
_cam_power = {'test_dataloader.dataset.pipeline[type=LoadCAMs].power': 3}
stages = dict(
    classifier=dict(
        config='../seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py',
        options={'test_evaluator.bg_thr': 0.63}),
    refine_labels=dict(
        config='../refine/confident-labels_psa-a4-24_synthetic-96x96.py', options=_cam_power),
    refine_net=dict(
        config='../refine/affinitynet_r38d-slim_1xb16-8e_synthetic-96x96.py',
        inputs=_base_.init_from_classifier['inputs'],
        options=dict(**_base_.init_from_classifier['options'], **_cam_power)),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
