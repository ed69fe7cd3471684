# A COCO Spatial-BCE phase + ISL + FSL (see the VOC config).
_base_ = './spatial-bce_r38d_1xb12-20e_coco2014-369x369.py'
model = dict(
    head=dict(
        isl=dict(type='BinomialISL', num_samples=10, lam=1.0, loss_weight=0.2),
        fsl=dict(type='MaskedFSL', mu=2.5, sigma=5.0)))
