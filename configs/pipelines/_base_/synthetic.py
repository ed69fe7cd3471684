# The embedded synthetic data set for every stage. Its classifiers learn from scratch, so the
# refinement nets start from the classifier's backbone (as IRN / AffinityNet start from
# ImageNet weights): `init_from_classifier` goes into a refine_net stage's options and inputs.
data_root = 'data/synthetic'
init_from_classifier = dict(
    options={'model.backbone.init_cfg': dict(type='Pretrained', prefix='backbone.')},
    inputs={'model.backbone.init_cfg.checkpoint': 'classifier.checkpoint'})
