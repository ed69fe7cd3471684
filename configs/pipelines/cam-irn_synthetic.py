# Plain CAM -> pseudo-labels (background score chosen on the validation images) -> IRN
# (confident labels fg 0.30 / bg 0.05, random walk) -> DeepLab-v3+ on the synthetic set; the
# classifier and IRN start from the synthetic pretraining (`--cfg-options stages.pretrain=None`:
# from scratch, IRN then from the classifier's backbone).
_base_ = ['./_base_/cam-refine-seg.py', './_base_/synthetic.py']
name = 'CAM + IRN'
stages = dict(
    pretrain=dict(config='../pretrain/r18-slim-d8_1xb64-30e_synthetic-pretrain-64x64.py',
                  **_base_.pretrain),
    classifier=dict(
        config='../cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py',
        **_base_.val_calibrated, **_base_.from_pretrain),
    refine_labels=dict(config='../refine/confident-labels_irn-fg30-bg05_synthetic-96x96.py'),
    refine_net=dict(
        config='../refine/irn_r18-slim-d8_1xb16-6e_synthetic-96x96.py',
        **_base_.refine_from_pretrain),
    segmentor=dict(
        config='../seg/deeplabv3plus_r18-slim-d8_1xb16-400iters_synthetic-pseudo-96x96.py'))
