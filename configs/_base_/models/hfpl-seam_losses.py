# ISL and FSL as arvijj/hfpl's train_cam_voc.py attaches them to SEAM's branch 1: ISL (lambda
# 0.2, 10 samples) on the fc8 logits, mixed into branch 1's classification loss (where and at
# which weight: the head fields of seam_r38d.py); FSL (mu 2.5, sigma 5) gated by the min-max
# normalised CAM of the present classes with the background channel 1 - max, the public code's
# epsilon and image resize.
# HFPL configs add it to their SEAM baseline as ``model = dict(head=_base_.hfpl_seam_losses)``.
hfpl_seam_losses = dict(
    isl=dict(type='BinomialISL', num_samples=10, lam=0.2),
    fsl=dict(
        type='MaskedFSL',
        mu=2.5,
        sigma=5.0,
        norm='minmax',
        mask_absent=True,
        background='one_minus_max',
        eps=1e-5,
        image_align_corners=True))
