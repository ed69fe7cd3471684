# A synthetic Spatial-BCE phase + ISL + FSL: ISL on the temperature-scaled logits s (12x12),
# added to the spatial BCE and the KL prior (0.2 L_is, lam = 1: the sampling term alone); FSL
# (mu 2.5, sigma 5) on s upsampled x4. See README.md for the mixed variant (eq. 16).
_base_ = './spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'
model = dict(
    head=dict(
        isl=dict(type='BinomialISL', num_samples=10, lam=1.0, loss_weight=0.2),
        fsl=dict(type='MaskedFSL', mu=2.5, sigma=5.0, upsample=4)))
