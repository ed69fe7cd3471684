# MCTformer-V2 (tiny ViT from scratch) -> fused attention CAMs (pseudo-labels at the background
# score best on the validation images) -> AffinityNet as MCTformer runs it (confident labels from
# CRF-prob maps with background powers 1 / 12, ResNet-38d slim from scratch, random walk with a
# constant background score 0.39) -> DeepLab-v3+ on the synthetic set. The powers and the walk's
# background are MCTformer's published VOC values, not tuned here.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/synthetic.py']
name = 'MCTformer-V2'
stages = dict(
    classifier=dict(
        config='../mctformer/mctformer-v2_vit-tiny-p8_1xb16-30e_synthetic-96x96.py',
        **_base_.val_calibrated),
    refine_labels=dict(config='../refine/confident-labels_psa-a1-12_synthetic-96x96.py'),
    refine_net=dict(
        config='../refine/affinitynet-mctformer_r38d-slim_1xb16-8e_synthetic-96x96.py'),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
