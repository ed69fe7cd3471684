# ResNet-18 at a quarter width (stem 32, stages 16-32-64-128 channels), output stride 8 (dilated
# last two stages): the synthetic CAM classifier's backbone, and that of the synthetic
# refinement nets that start from its weights (the synthetic pipelines' init_from_classifier),
# so that the architectures cannot drift apart. Used as
# ``backbone=dict(**_base_.r18_slim_d8, ...)``.
r18_slim_d8 = dict(
    depth=18, stem_channels=32, base_channels=16, strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4))
