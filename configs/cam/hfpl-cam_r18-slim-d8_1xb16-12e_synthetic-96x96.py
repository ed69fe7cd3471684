# The synthetic CAM baseline + ISL + FSL (12x12 CAM, FSL on it upsampled x2 to 24x24).
_base_ = './cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'
model = dict(
    head=dict(
        isl=dict(type='BinomialISL', num_samples=10, lam=0.2),
        fsl=dict(type='MaskedFSL', mu=2.5, sigma=5.0, upsample=2)))
