# ISL and FSL for SIPE (hfpl paper sec. 5.1; no public code): both scaled by 0.1 ("SIPE uses a
# higher learning rate"), FSL on the CAM upsampled x2 (32x32 -> 64x64). Open points, as config
# fields (defaults documented in configs/sipe/README.md):
# * the map: the 20-channel classifier logits (head.loss_map='cam'); FSL's gate is SIPE's own
#   general CAM, ReLU(s) / max of the present classes with the background 1 - max;
# * what 0.1 multiplies: ISL's term of the mix, (1 - 0.2) GAP-BCE + 0.1 * 0.2 ISL, in the place
#   of SIPE's GAP-BCE (head.isl_replaces='loss_cls'), written as BinomialISL's own mix
#   loss_weight * ((1 - lam) GAP-BCE + lam ISL) with lam = 0.02 / 0.82, loss_weight = 0.82; and
#   FSL. The whole mix x0.1 (lam=0.2, loss_weight=0.1: GAP-BCE x0.08) starves the classifier on
#   the synthetic set (configs/sipe/README.md); the mix added to SIPE's GAP-BCE:
#   head.isl_replaces=None;
# * the interpolation of the x2 upsampling: bilinear (fsl.upsample_mode).
# FSL's epsilon and image resize are arvijj/hfpl's (probutils.py), as for SEAM.
hfpl_sipe_losses = dict(
    isl=dict(type='BinomialISL', num_samples=10, lam=0.02 / 0.82, loss_weight=0.82),
    fsl=dict(
        type='MaskedFSL',
        mu=2.5,
        sigma=5.0,
        norm='max',
        mask_absent=True,
        background='one_minus_max',
        upsample=2,
        upsample_mode='bilinear',
        eps=1e-5,
        image_align_corners=True,
        loss_weight=0.1))
