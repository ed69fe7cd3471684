# SEAM + ISL + FSL on COCO: as on VOC with the FSL scaled by 0.2 (paper sec. 5.1).
_base_ = './seam_coco.py'
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
            loss_weight=0.2)))
