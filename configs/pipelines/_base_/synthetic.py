# The embedded synthetic data set for every stage. Its classifiers learn from scratch, so the
# refinement nets start from the classifier's backbone (as IRN / AffinityNet start from
# ImageNet weights): `init_from_classifier` goes into a refine_net stage's options and inputs.
data_root = 'data/synthetic'
init_from_classifier = dict(
    options={'model.backbone.init_cfg': dict(type='Pretrained', prefix='backbone.')},
    inputs={'model.backbone.init_cfg.checkpoint': 'classifier.checkpoint'})
# Thresholds come from held-out data: the classifier stage validates its final weights on the
# validation images (CAMMetric's background sweep) and writes the training pseudo-labels at the
# score that was best there, per method and seed (none of the reported training masks is looked
# at). A classifier stage takes it with **val_calibrated; a fixed score stays one option away
# (options={'test_evaluator.bg_thr': 0.15} and steps=('train', 'test')).
val_calibrated = dict(
    steps=('train', 'val', 'test'),
    val_during_train=False,
    calibrate={'test_evaluator.bg_thr': 'val.cam/bg_thr'},
    report=dict(val='CAM (val)'))
# The pretrained-like regime (default of the CAM and SEAM pipelines): the paper's baselines start
# from ImageNet weights, so the synthetic classifiers and refinement nets start from a backbone
# pretrained on the separate synthetic classification set (configs/pretrain/,
# hfpl_mm.datasets.synthetic_pretrain: 32 single-object classes, no WSSS image), trained once
# (seed 0, whatever the pipeline seed: one checkpoint serves every seed, as one ImageNet
# checkpoint serves the paper's runs; the seeds vary the WSSS training) and shared by the
# pipelines run together. A pipeline declares
# `pretrain=dict(config='../pretrain/<backbone>...py', **_base_.pretrain)` and its classifier
# `**_base_.from_pretrain`, its refinement net `**_base_.refine_from_pretrain`. From scratch is
# one option away: `--cfg-options stages.pretrain=None` (the classifier keeps its config's
# initialisation, the refinement net starts from the classifier's backbone, as before).
pretrain = dict(steps=('train', ), shared=True, data_root=False, seed=0)
from_pretrain = dict(inputs={'model.backbone.init_cfg': dict(
    type='Pretrained', prefix='backbone.', checkpoint='{pretrain.checkpoint}')})
refine_from_pretrain = dict(inputs={'model.backbone.init_cfg': dict(
    type='Pretrained', prefix='backbone.', checkpoint='{pretrain.checkpoint|classifier.checkpoint}')})
