# IRN on the synthetic set, a few minutes on the CPU: the classifier stage's backbone
# (configs/_base_/models/r18-slim-d8.py: ResNet-18 at a quarter width, output stride 8;
# levels at strides 4 / 8 / 8 / 8). run_pipeline initialises it from the classifier
# (refine.init_backbone=True); alone, load weights with
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#       model.backbone.init_cfg.checkpoint=CLS.pth model.backbone.init_cfg.prefix=backbone.
# Scaled to 96x96 images (a 24x24 grid instead of IRN's 128x128):
# * pairs within radius 5 in training (IRN: 10);
# * 2^3 walk steps (IRN: 2^8): the walk spreads over ~sqrt(steps) * radius cells, so the number
#   of steps scales with the grid's area, (24 / 128)^2 * 256 = 9;
# * the backbone is trained with the branches, 6 epochs, real momentum 0.9 (IRN freezes an
#   ImageNet backbone; this one only learnt to classify 400 images, and frozen it gives weaker
#   boundaries: on one classifier's CAMs (J / F 48.6 / 21.6), refined J / F 53.4 / 33.0 frozen,
#   55.8 / 39.7 trained).
_base_ = [
    '../_base_/models/irn_r50.py', '../_base_/datasets/synthetic_refine.py',
    '../_base_/schedules/irn_sgd-poly_3e.py', '../_base_/seg_runtime.py',
    '../_base_/models/r18-slim-d8.py'
]
crop_size = (96, 96)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(**_base_.r18_slim_d8, frozen_stages=-1),
    in_channels=(16, 32, 64, 128),
    train_radius=5,
    walk=dict(logt=3),
    size_divisor=8)
optim_wrapper = dict(optimizer=dict(momentum=0.9))
train_cfg = dict(max_epochs=6)
default_hooks = dict(logger=dict(interval=10))
