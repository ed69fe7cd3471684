# MCTformer-V2 (DeiT-S/16 from ImageNet DeiT weights) -> fused attention CAMs (pseudo-labels at
# background 0.39, MCTformer's best score on VOC) -> AffinityNet as MCTformer's psa/ runs it
# (confident labels from CRF-prob maps with background powers 1 / 12, ImageNet ResNet-38d,
# 5 epochs, random walk with a constant background score 0.39) -> DeepLab-LargeFOV ResNet-38
# (MCTformer's seg/) on VOC 2012 train_aug.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/voc12aug.py', './_base_/imagenet.py']
name = 'MCTformer-V2'
stages = dict(
    classifier=dict(
        config='../mctformer/mctformer-v2_deit-s_1xb64-60e_voc12aug-224x224.py',
        options={'test_evaluator.bg_thr': 0.39}),
    refine_labels=dict(config='../refine/confident-labels_psa-a1-12_voc12aug.py'),
    refine_net=dict(
        config='../refine/affinitynet-mctformer_r38d_1xb8-5e_voc12aug-448x448.py',
        options=_base_.resnet38d_imagenet),
    segmentor=dict(config='../seg/deeplab-largefov_r38d_1xb4-80k_voc12aug-pseudo-321x321.py'))
