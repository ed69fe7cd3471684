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
