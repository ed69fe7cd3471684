# SEAM's schedule: SGD, lr 0.01, weight decay 5e-4, poly (power 0.9) per iteration, 8 epochs
# (batch 8, set by the leaf configs). SEAM's four parameter groups: backbone weights (lr, wd),
# backbone biases (2 lr, no decay), new layers fc8 (head) and PCM (10 lr, wd), their biases
# (20 lr, no decay). No SEAM conv has a bias and batch norm is frozen, so the bias groups are
# empty unless a config adds biases. Momentum: SEAM's PolyOptimizer passes the weight decay in
# SGD's momentum slot, so the effective momentum is 5e-4; we reproduce that (YudeWang/SEAM
# tool/torchutils.py).
_base_ = './cam_sgd-poly_5e.py'
optim_wrapper = dict(
    optimizer=dict(lr=0.01, momentum=5e-4, weight_decay=5e-4),
    paramwise_cfg=dict(
        bias_lr_mult=2.,
        bias_decay_mult=0.,
        custom_keys={
            'head': dict(lr_mult=10.),
            'head.classifier.bias': dict(lr_mult=20., decay_mult=0.),
            'pcm': dict(lr_mult=10.),
        }))
train_cfg = dict(max_epochs=8)
