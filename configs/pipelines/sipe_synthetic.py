# SIPE -> IS-CAM pseudo-labels (argmax with the IS-CAM background: no threshold) -> IRN
# (SIPE's confident labels and walk, IRN started from the classifier's backbone) -> DeepLab-v3+
# on the synthetic set.
_base_ = ['./_base_/cam-refine-seg.py', './_base_/synthetic.py', './_base_/sipe-irn.py']
name = 'SIPE + IRN'
stages = dict(
    classifier=dict(config='../sipe/sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py'),
    refine_labels=dict(config='../refine/confident-labels_irn-bgch1-05_synthetic-96x96.py'),
    refine_net=dict(
        config='../refine/irn_r18-slim-d8_1xb16-6e_synthetic-96x96.py',
        options=dict(**_base_.init_from_classifier['options'], **_base_.sipe_walk),
        inputs=_base_.init_from_classifier['inputs']),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
