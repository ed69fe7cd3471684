# Plain CAM + ISL + FSL on COCO 2014 (FSL weight 0.2, paper sec. 5.1).
_base_ = './cam_r50-d16_1xb16-5e_coco2014-512x512.py'
model = dict(
    head=dict(
        isl=dict(type='BinomialISL', num_samples=10, lam=0.2),
        fsl=dict(type='MaskedFSL', mu=2.5, sigma=5.0, upsample=2, loss_weight=0.2)))
