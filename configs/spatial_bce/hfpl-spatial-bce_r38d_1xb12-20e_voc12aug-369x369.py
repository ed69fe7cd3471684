# A VOC Spatial-BCE phase + ISL + FSL on the temperature-scaled logits s (47x47): ISL added
# (0.2 L_is, lam = 1: the sampling term alone), FSL (mu 2.5, sigma 5) without upsampling.
_base_ = './spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'
model = dict(
    head=dict(
        isl=dict(type='BinomialISL', num_samples=10, lam=1.0, loss_weight=0.2),
        fsl=dict(type='MaskedFSL', mu=2.5, sigma=5.0)))
