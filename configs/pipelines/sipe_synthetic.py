# SIPE -> IS-CAM pseudo-labels (argmax with the IS-CAM background: no threshold) -> IRN
# (SIPE's confident labels and walk) -> DeepLab-v3+ on the synthetic set; the classifier and IRN
# start from the synthetic pretraining (`--cfg-options stages.pretrain=None`: from scratch, IRN
# then from the classifier's backbone).
_base_ = ['./_base_/cam-refine-seg.py', './_base_/synthetic.py', './_base_/sipe-irn.py']
name = 'SIPE + IRN'
stages = dict(
    pretrain=dict(config='../pretrain/r18-slim-d8_1xb64-30e_synthetic-pretrain-64x64.py',
                  **_base_.pretrain),
    classifier=dict(config='../sipe/sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py',
                    **_base_.from_pretrain),
    refine_labels=dict(config='../refine/confident-labels_irn-bgch1-05_synthetic-96x96.py'),
    refine_net=dict(
        config='../refine/irn_r18-slim-d8_1xb16-6e_synthetic-96x96.py',
        options=_base_.sipe_walk, **_base_.refine_from_pretrain),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
