# SIPE's classifier schedule (chenqi1126/SIPE train_resnet50_SIPE.py): IRN's (SGD lr 0.1 with
# the PolyOptimizer's momentum 1e-4, weight decay 1e-4, poly, 5 epochs) with the new layers,
# the classifier and the side convs, at 10x, and gradient-norm clipping at 1.0.
_base_ = './cam_sgd-poly_5e.py'
optim_wrapper = dict(
    clip_grad=dict(max_norm=1.0, norm_type=2),
    paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=10.), 'sides': dict(lr_mult=10.)}))
