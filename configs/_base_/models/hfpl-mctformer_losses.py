# ISL and FSL for MCTformer-V2 (hfpl paper sec. 5.1: both scaled by 0.1 since MCTformer trains
# with AdamW; FSL on the patch CAM upsampled x4, 14x14 -> 56x56). Both attach to the patch CAM
# (model base: loss_map='patch', isl_replaces='loss_patch'). ISL is mixed into the patch MLSM as
# eq. 16 with lambda = 0.1 x 0.2 = 0.02; FSL (mu 2.5, sigma 5, weight 0.1) gates as arvijj/hfpl's
# public code does (see hfpl-seam_losses.py). Other readings of "scaled by 0.1" are config
# values: see configs/mctformer/README.md. Both losses run in float32 under AMP.
# HFPL configs add it to their baseline as ``model = dict(head=_base_.hfpl_mctformer_losses)``.
hfpl_mctformer_losses = dict(
    isl=dict(type='BinomialISL', num_samples=10, lam=0.02),
    fsl=dict(
        type='MaskedFSL',
        mu=2.5,
        sigma=5.0,
        norm='minmax',
        mask_absent=True,
        background='one_minus_max',
        eps=1e-5,
        image_align_corners=True,
        upsample=4,
        loss_weight=0.1))
