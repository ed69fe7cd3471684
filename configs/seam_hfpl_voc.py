# SEAM + ISL + FSL as arvijj/hfpl train_cam_voc.py (baselines.md sections 3, 8), on branch 1:
# ISL (lambda 0.2, 10 samples) on the 56x56 fc8 logits, mixed into branch 1's classification
# loss (realised ISL weight 0.1); FSL (mu 2.5, sigma 5) gated by the min-max normalised CAM of
# the present classes with the background channel 1 - max, the public code's epsilon and image
# resize. CAMs unchanged; the refinement stage uses CRF alpha 1 / 24 with ISL (paper sec. 5.1).
_base_ = './seam_voc.py'
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
            image_align_corners=True)))
