# Plain CAM + ISL + FSL on VOC train_aug (FSL on the 32x32 CAM upsampled x2).
_base_ = './cam_r50-d16_1xb16-5e_voc12aug-512x512.py'
model = dict(
    head=dict(
        isl=dict(type='BinomialISL', num_samples=10, lam=0.2),
        fsl=dict(type='MaskedFSL', mu=2.5, sigma=5.0, upsample=2)))
