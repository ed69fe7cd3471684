# The synthetic SEAM baseline + ISL + FSL (branch 1, as on VOC). The 12x12 CAM is upsampled x4
# for the FSL (48x48, close to VOC's 56x56 grid for sigma 5), as in the synthetic CAM config.
_base_ = './seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
model = dict(
    head=dict(
        isl=dict(type='BinomialISL', num_samples=10, lam=0.2),
        fsl=dict(
            type='MaskedFSL',
            mu=2.5,
            sigma=5.0,
            norm='minmax',
            mask_absent=True,
            background='one_minus_max',
            eps=1e-5,
            image_align_corners=True,
            upsample=4)))
