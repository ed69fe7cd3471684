# SEAM -> pseudo-labels (background score chosen on the validation images) -> AffinityNet
# (confident labels from CRF-prob maps with background powers 4 / 24, ResNet-38d started from the
# classifier, random walk) -> DeepLab-v3+ on the synthetic set.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/synthetic.py']
name = 'SEAM'
stages = dict(
    classifier=dict(
        config='../seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py',
        **_base_.val_calibrated),
    refine_labels=dict(config='../refine/confident-labels_psa-a4-24_synthetic-96x96.py'),
    refine_net=dict(
        config='../refine/affinitynet_r38d-slim_1xb16-8e_synthetic-96x96.py',
        **_base_.init_from_classifier),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
