# A small CAM classifier that trains from scratch on the CPU (synthetic data): ResNet-18 at a
# quarter width (stem 32, stages 16-32-64-128 channels), output stride 8 (dilated last two stages),
# batch norm trained.
_base_ = './cam_r50-d16.py'
model = dict(
    backbone=dict(
        depth=18,
        stem_channels=32,
        base_channels=16,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        frozen_stages=-1,
        norm_eval=False),
    head=dict(in_channels=128))
