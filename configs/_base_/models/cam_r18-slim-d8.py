# A small CAM classifier that trains from scratch on the CPU (synthetic data): ResNet-18 at a
# quarter width, output stride 8 (r18-slim-d8.py), batch norm trained.
_base_ = ['./cam_r50-d16.py', './r18-slim-d8.py']
model = dict(
    backbone=dict(**_base_.r18_slim_d8, frozen_stages=-1, norm_eval=False),
    head=dict(in_channels=128))
