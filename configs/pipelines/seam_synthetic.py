# SEAM -> pseudo-labels (background score chosen on the validation images) -> AffinityNet
# (confident labels from CRF-prob maps with background powers 4 / 24, random walk) ->
# DeepLab-v3+ on the synthetic set; SEAM and AffinityNet start from the synthetic ResNet-38d
# pretraining (`--cfg-options stages.pretrain=None`: from scratch, AffinityNet then from the
# classifier's backbone).
_base_ = ['./_base_/cam-refine-seg.py', './_base_/synthetic.py']
name = 'SEAM'
stages = dict(
    pretrain=dict(config='../pretrain/r38d-slim_1xb64-30e_synthetic-pretrain-64x64.py',
                  **_base_.pretrain),
    classifier=dict(
        config='../seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py',
        **_base_.val_calibrated, **_base_.from_pretrain),
    refine_labels=dict(config='../refine/confident-labels_psa-a4-24_synthetic-96x96.py'),
    refine_net=dict(
        config='../refine/affinitynet_r38d-slim_1xb16-8e_synthetic-96x96.py',
        **_base_.refine_from_pretrain),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
