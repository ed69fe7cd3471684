"""Feature similarity loss (FSL) with binomial gating and class masking (paper eqs. 4, 9-13,
sec. 4.3).

The pairwise sum of eq. (9) is evaluated exactly, without ever materialising an HW x HW matrix
per image: with ``K_ij = w_ij f_ij`` (symmetric, image-only, no gradient)

    sum_ij K_ij * 0.5 * ||r_i - r_j||^2 = sum_c [ sum_i D_i r_ic^2 - sum_ij r_ic K_ij r_jc ],
    D_i = sum_j K_ij,

a graph-Laplacian quadratic form. :class:`_PairwiseQuadForm` builds ``K`` in blocks (upper
block-triangle only, using ``K_IJ`` and ``K_IJ^T``), accumulates ``K r`` and ``D`` and keeps only
``D r - K r`` (the size of ``r``) for the backward pass, which is elementwise:
``dQ/dr = 2 (D r - K r)``. The Gaussian is not truncated; only weights that underflow the
compute dtype (below its smallest normal number, e.g. > ~64 px apart for sigma = 5 in float32)
are flushed to exactly 0 and fully underflowed row blocks skipped (relative effect < 1e-30;
avoids very slow sub-normal arithmetic).
"""
import math
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd.function import once_differentiable

from .utils import (check_cam_labels, check_finite_inputs, check_images, compute_dtype,
                    max_norm, minmax_norm, no_autocast, register_loss)

__all__ = ['MaskedFSL', 'masked_fsl', 'fsl_pairwise_sum', 'fsl_gate']

_GATINGS = ('max_norm', 'sigmoid', 'logits', 'softmax')
_NORMS = ('max', 'minmax')
_BACKGROUNDS = (None, 'one_minus_max')
_UPSAMPLE_MODES = ('bilinear', 'bicubic', 'nearest')
# Elements of one kernel block (all images of a group together): ~4 MB float32 buffers stay
# cache-friendly on CPU; on GPUs larger blocks amortise the kernel launches.
DEFAULT_BLOCK_ELEMS = {'cpu': 1 << 20, 'cuda': 1 << 24}


def _spatial_tables(H: int, W: int, sigma: float, dtype, device):
    """Separable factors of eq. (10): ``wy[t] = exp(-t^2 / (2 sigma^2)) / (2 pi sigma^2)`` for
    row offsets t and the (W, W) matrix ``wx[a, b] = exp(-(a - b)^2 / (2 sigma^2))`` (on
    ``device``), plus ``wy`` as a host list (no device syncs in the block loop)."""
    ty = torch.arange(H, dtype=torch.float64)
    tx = torch.arange(W, dtype=torch.float64)
    wy = torch.exp(-ty * ty / (2.0 * sigma * sigma)) / (2.0 * math.pi * sigma * sigma)
    dx = tx[:, None] - tx[None, :]
    wx = torch.exp(-dx * dx / (2.0 * sigma * sigma))
    wy = wy.to(dtype)
    return wy.to(device), wx.to(device=device, dtype=dtype), wy.tolist()


def _spatial_block(wy, wx, wy_host, ys_i: Tuple[int, int], ys_j: Tuple[int, int],
                   radius: Optional[float]) -> Optional[torch.Tensor]:
    """Gaussian weights w_ij (eq. 10) between image rows [ys_i) and rows [ys_j) (all columns).

    Returns (m_i, m_j) with ``m = rows * W`` in row-major pixel order, or None when every weight
    of the block is below the smallest normal number of the dtype. Such weights are flushed to
    0: far below the working precision of any sum they enter (relative effect < 1e-30), and
    denormal arithmetic is extremely slow on CPUs.
    """
    tiny = torch.finfo(wy.dtype).tiny
    W = wx.shape[0]
    gap = max(0, ys_j[0] - (ys_i[1] - 1), ys_i[0] - (ys_j[1] - 1))
    if wy_host[gap] < tiny:  # wx <= 1 and wy decreasing: the whole block underflows
        return None
    dev = wy.device
    yi = torch.arange(ys_i[0], ys_i[1], device=dev)
    yj = torch.arange(ys_j[0], ys_j[1], device=dev)
    dy = (yi[:, None] - yj[None, :]).abs()
    blk = wy[dy][:, None, :, None] * wx[None, :, None, :]
    blk.masked_fill_(blk < tiny, 0.0)
    if radius is not None:
        xs = torch.arange(W, device=dev)
        dx = xs[:, None] - xs[None, :]
        d2 = (dy * dy)[:, None, :, None] + (dx * dx)[None, :, None, :]
        blk.masked_fill_(d2 > radius * radius, 0.0)
    return blk.reshape(dy.shape[0] * W, dy.shape[1] * W)


class _Workspace:
    """Reusable (nb, mi, mj) buffers, one set per block shape (at most a handful of shapes)."""

    def __init__(self, dtype, device):
        self.dtype, self.device, self.bufs = dtype, device, {}

    def get(self, shape):
        if shape not in self.bufs:
            self.bufs[shape] = tuple(
                torch.empty(shape, dtype=self.dtype, device=self.device) for _ in range(3))
        return self.bufs[shape]


def _kernel_block(xi: torch.Tensor, xj: torch.Tensor, wblk: torch.Tensor, exp2mu: float,
                  eps: float, ws: _Workspace) -> torch.Tensor:
    """``K = w * f(delta)`` for a block; xi (n, 3, mi), xj (n, 3, mj) -> (n, mi, mj).

    ``f = tanh(mu + log(d / (1 - d)))`` (eqs. 12, 13) in the exact rational form
    ``(E u^2 - v^2) / (E u^2 + v^2) = 1 - 2 v^2 / (E u^2 + v^2)`` with ``E = e^{2 mu}``,
    ``u = d + eps``, ``v = 1 - d + eps`` (finite at d = 0 and d = 1). Everything is scaled by 3
    (``d3 = ||x_i - x_j||_1 = 3 d``), which leaves the ratio unchanged. The returned tensor is a
    workspace buffer (valid until the next call with the same shape).
    """
    n, mi, mj = xi.shape[0], xi.shape[2], xj.shape[2]
    d, t, u = ws.get((n, mi, mj))
    torch.sub(xi[:, 0, :, None], xj[:, 0, None, :], out=d).abs_()
    for c in (1, 2):
        torch.sub(xi[:, c, :, None], xj[:, c, None, :], out=t)
        d.add_(t.abs_())  # d = ||x_i - x_j||_1 = 3 delta
    torch.sub(d, 3.0 + 3.0 * eps, out=t)
    t.mul_(t)  # 9 (1 - delta + eps)^2
    if eps:
        d.add_(3.0 * eps)  # 3 (delta + eps)
    torch.addcmul(t, d, d, value=exp2mu, out=u)  # 9 (E (delta + eps)^2 + (1 - delta + eps)^2)
    t.div_(u)  # q = v^2 / (E u^2 + v^2)
    return torch.addcmul(wblk, t, wblk, value=-2.0, out=d)  # w (1 - 2 q) = w f


def _pairwise_forward(r: torch.Tensor, x: torch.Tensor, H: int, W: int, sigma: float, mu: float,
                      eps: float, radius: Optional[float],
                      block_elems: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """Return ``Q = sum_b sum_ij K_ij 0.5 ||r_i - r_j||^2`` and ``G = D r - K r`` (B, K, HW).

    r (B, K, HW), x (B, 3, HW) in [0, 1]. Channels that are constant over the image (e.g.
    masked absent classes) add exactly 0 to Q and to the gradient (``K 1 = D``) and are skipped;
    images without varying channels are skipped entirely. The remaining channels are centred per
    image (the form is invariant to per-channel offsets), which reduces cancellation.
    """
    B, K, N = r.shape
    G = torch.zeros_like(r)
    # NaN-safe: a channel with NaN counts as active so NaN propagates instead of being dropped.
    active = ~(r.amax(2) == r.amin(2))
    counts = active.sum(1).tolist()  # one host sync
    kmax = max(counts)
    if kmax == 0:
        return r.new_zeros(()), G
    imgs = [b for b in range(B) if counts[b] > 0]
    nimg = len(imgs)
    img_idx = torch.tensor(imgs, device=r.device)
    act = active.index_select(0, img_idx)
    ch = torch.argsort(act.to(torch.int32), dim=1, descending=True, stable=True)[:, :kmax]
    valid = act.gather(1, ch).to(r.dtype)  # (n, kmax)
    R = r.index_select(0, img_idx).gather(1, ch[..., None].expand(nimg, kmax, N))
    R = R * valid[..., None]
    R = R - R.mean(dim=2, keepdim=True)
    Rt = torch.cat([R, R.new_ones(nimg, 1, N)], dim=1).contiguous()  # (n, kmax + 1, N)
    X = x.index_select(0, img_idx).contiguous()  # (n, 3, N)
    acc = torch.zeros_like(Rt)  # rows: (K r)^T, then D

    exp2mu = math.exp(2.0 * mu)
    wy, wx, wy_host = _spatial_tables(H, W, sigma, r.dtype, r.device)
    ws = _Workspace(r.dtype, r.device)
    # Row blocks of ``ry`` image rows; image groups of ``nb`` images.
    ry = max(1, min(H, int(math.sqrt(block_elems / max(1, nimg))) // max(1, W)))
    nb = max(1, min(nimg, block_elems // ((ry * W)**2)))
    row_starts = list(range(0, H, ry))
    for bi, yi0 in enumerate(row_starts):
        yi1 = min(H, yi0 + ry)
        pi0, pi1 = yi0 * W, yi1 * W
        for yj0 in row_starts[bi:]:
            yj1 = min(H, yj0 + ry)
            if radius is not None and yj0 - (yi1 - 1) > radius:
                break  # rows further down are even further away
            pj0, pj1 = yj0 * W, yj1 * W
            wblk = _spatial_block(wy, wx, wy_host, (yi0, yi1), (yj0, yj1), radius)
            if wblk is None:
                continue
            for g0 in range(0, nimg, nb):
                g1 = min(nimg, g0 + nb)
                kb = _kernel_block(X[g0:g1, :, pi0:pi1], X[g0:g1, :, pj0:pj1], wblk, exp2mu, eps,
                                   ws)
                # (K_IJ r_J)^T = r_J^T K_IJ^T and (K_IJ^T r_I)^T = r_I^T K_IJ: short-wide
                # products, much faster than tall-skinny ones on CPU BLAS.
                acc[g0:g1, :, pi0:pi1] += torch.bmm(Rt[g0:g1, :, pj0:pj1], kb.transpose(1, 2))
                if yj0 != yi0:
                    acc[g0:g1, :, pj0:pj1] += torch.bmm(Rt[g0:g1, :, pi0:pi1], kb)
    Rc = Rt[:, :kmax]
    Gsub = acc[:, kmax:] * Rc - acc[:, :kmax]  # D r - K r, (n, kmax, N)
    q = (Rc * Gsub).sum()
    Gsub = Gsub * valid[..., None]
    Gimg = r.new_zeros(nimg, K, N).scatter_(1, ch[..., None].expand(nimg, kmax, N), Gsub)
    G.index_copy_(0, img_idx, Gimg)
    return q, G


class _PairwiseQuadForm(torch.autograd.Function):
    """Q(r) = sum_b sum_ij w_ij f_ij 0.5 ||r_i - r_j||^2, differentiable in ``r`` only."""

    @staticmethod
    def forward(ctx, r, x, H, W, sigma, mu, eps, radius, block_elems):
        q, G = _pairwise_forward(r.detach(), x.detach(), H, W, sigma, mu, eps, radius,
                                 block_elems)
        ctx.save_for_backward(G)
        return q

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_q):
        G, = ctx.saved_tensors
        return (2.0 * grad_q) * G, None, None, None, None, None, None, None, None


def fsl_pairwise_sum(r: torch.Tensor,
                     images: torch.Tensor,
                     mu: float = 2.5,
                     sigma: float = 5.0,
                     eps: float = 0.0,
                     radius: Optional[float] = None,
                     block_elems: Optional[int] = None) -> torch.Tensor:
    """Exact ``sum_b sum_{i,j} w_ij g(r_i, r_j) f(delta(x_i, x_j))`` (the sum of eq. 9).

    Args:
        r (Tensor): gate input (B, K, H, W); differentiable.
        images (Tensor): images (B, 3, H, W) at the same resolution, in [0, 1]; not
            differentiated.
        mu, sigma (float): parameters of eqs. (10) and (12).
        eps (float): 0 = paper; 1e-5 = public code's ``(d + eps) / (1 - d + eps)``.
        radius (float, optional): drop pairs farther than ``radius`` pixels (not exact).
        block_elems (int, optional): elements of one kernel block (speed / memory only);
            None = 2^20 on CPU, 2^24 on CUDA.

    Returns:
        Tensor: scalar, in the dtype of ``r``.
    """
    B, K, H, W = r.shape
    if tuple(images.shape) != (B, 3, H, W):
        raise ValueError(f'images shape {tuple(images.shape)} does not match r shape '
                         f'{tuple(r.shape)}: expected ({B}, 3, {H}, {W})')
    x = images.detach().to(dtype=r.dtype, device=r.device)
    if block_elems is None:
        block_elems = DEFAULT_BLOCK_ELEMS.get(r.device.type, DEFAULT_BLOCK_ELEMS['cpu'])
    return _PairwiseQuadForm.apply(r.reshape(B, K, H * W), x.reshape(B, 3, H * W), H, W,
                                   float(sigma), float(mu), float(eps), radius, int(block_elems))


def fsl_gate(s: torch.Tensor,
             labels: Optional[torch.Tensor] = None,
             gating: str = 'max_norm',
             norm: str = 'max',
             mask_absent: bool = True,
             background: Optional[str] = None) -> torch.Tensor:
    """Gate input ``r`` of eq. (11) from logits ``s`` (B, C, H, W).

    gating: 'max_norm' (eq. 4; ``norm='minmax'`` for the public-code MMN variant),
    'sigmoid' (b, eq. 14), 'logits' (s itself), 'softmax' (a over channels, eq. 5).
    ``mask_absent`` multiplies by the labels (sec. 4.3); ``background='one_minus_max'`` prepends
    ``1 - max_c r_c`` (computed after masking), as the public SEAM code does.
    """
    if gating == 'max_norm':
        r = max_norm(s) if norm == 'max' else minmax_norm(s)
    elif gating == 'sigmoid':
        r = torch.sigmoid(s)
    elif gating == 'logits':
        r = s
    else:
        r = torch.softmax(s, dim=1)
    if mask_absent:
        r = r * labels.to(dtype=r.dtype, device=r.device)[:, :, None, None]
    if background == 'one_minus_max':
        r = torch.cat([1.0 - r.amax(dim=1, keepdim=True), r], dim=1)
    return r


def _check_fsl_args(mu, sigma, gating, norm, mask_absent, background, upsample, eps, radius,
                    image_align_corners, block_elems, upsample_mode='bilinear') -> None:
    def is_num(v):
        return not isinstance(v, bool) and isinstance(v, (int, float))

    if not is_num(mu) or not math.isfinite(mu):
        raise ValueError(f'mu must be a finite number, got {mu!r}')
    if not is_num(sigma) or not (sigma > 0 and math.isfinite(sigma)):
        raise ValueError(f'sigma must be a finite number > 0, got {sigma!r}')
    # log of the weight of eq. (10) between neighbouring pixels: below float32's smallest
    # normal number every pair weight is flushed to 0 and the loss is identically 0
    log_w1 = -0.5 / sigma**2 - math.log(2 * math.pi * sigma**2)
    if log_w1 < math.log(torch.finfo(torch.float32).tiny):
        raise ValueError(f'sigma={sigma!r} is so small that every pairwise weight of eq. (10) '
                         'underflows float32 (even between neighbouring pixels) and the loss '
                         'is always 0; sigma is in CAM-grid pixels, use >= 0.08 (paper: 5)')
    if gating not in _GATINGS:
        raise ValueError(f'gating must be one of {_GATINGS}, got {gating!r}')
    if norm not in _NORMS:
        raise ValueError(f'norm must be one of {_NORMS}, got {norm!r}')
    if not isinstance(mask_absent, bool):
        raise ValueError(f'mask_absent must be a bool, got {mask_absent!r}')
    if background not in _BACKGROUNDS:
        raise ValueError(f'background must be one of {_BACKGROUNDS}, got {background!r}')
    if isinstance(upsample, bool) or not isinstance(upsample, int) or upsample < 1:
        raise ValueError(f'upsample must be an int >= 1, got {upsample!r}')
    if upsample_mode not in _UPSAMPLE_MODES:
        raise ValueError(f'upsample_mode must be one of {_UPSAMPLE_MODES}, got {upsample_mode!r}')
    if not is_num(eps) or not 0 <= eps < 1:
        raise ValueError(f'eps must be a number in [0, 1), got {eps!r}')
    if radius is not None and (not is_num(radius) or not radius >= 0):
        raise ValueError(f'radius must be None or a number >= 0, got {radius!r}')
    if not isinstance(image_align_corners, bool):
        raise ValueError(f'image_align_corners must be a bool, got {image_align_corners!r}')
    if block_elems is not None and (isinstance(block_elems, bool) or
                                    not isinstance(block_elems, int) or block_elems < 1):
        raise ValueError(f'block_elems must be None or an int >= 1, got {block_elems!r}')


def masked_fsl(cam_logits: torch.Tensor,
               images: torch.Tensor,
               labels: Optional[torch.Tensor] = None,
               mu: float = 2.5,
               sigma: float = 5.0,
               gating: str = 'max_norm',
               norm: str = 'max',
               mask_absent: bool = True,
               background: Optional[str] = None,
               upsample: int = 1,
               eps: float = 0.0,
               radius: Optional[float] = None,
               image_align_corners: bool = False,
               block_elems: Optional[int] = None,
               upsample_mode: str = 'bilinear') -> torch.Tensor:
    """Functional form of :class:`MaskedFSL` (without ``loss_weight``)."""
    _check_fsl_args(mu, sigma, gating, norm, mask_absent, background, upsample, eps, radius,
                    image_align_corners, block_elems, upsample_mode)
    check_cam_labels(cam_logits, labels, need_labels=mask_absent)
    check_finite_inputs('MaskedFSL', cam_logits, labels)
    B, C, h, w = cam_logits.shape
    check_images(images, cam_logits.shape)
    H, W = h * upsample, w * upsample
    with no_autocast(cam_logits.device.type):
        dtype = compute_dtype(cam_logits)
        s = cam_logits.to(dtype)
        if upsample > 1:
            s = F.interpolate(s, size=(H, W), mode=upsample_mode,
                              **({} if upsample_mode == 'nearest' else dict(align_corners=False)))
        r = fsl_gate(s, labels, gating, norm, mask_absent, background)
        x = images.detach().to(device=s.device, dtype=dtype)
        if tuple(x.shape[-2:]) != (H, W):
            # one image at a time: the CPU kernel copies its whole input, and the input images
            # are typically 64x larger than the CAM grid
            x = torch.cat([
                F.interpolate(xb, size=(H, W), mode='bilinear', align_corners=image_align_corners)
                for xb in x.split(1)
            ])
        x = x.clamp(0.0, 1.0)
        q = fsl_pairwise_sum(r, x, mu, sigma, eps, radius, block_elems)
        loss = q * (-1.0 / (B * H * W))
    return loss


@register_loss
class MaskedFSL(nn.Module):
    """Binomial feature similarity loss with absent-class masking (eqs. 4, 9-13, sec. 4.3).

    ``loss_weight * L`` with (eq. 9, averaged over the batch as the public code does)

        L = -1/(B HW) sum_b sum_{i,j} w_ij g(r_i, r_j) f(delta(x_i, x_j)),

    summed over *all* ordered pixel pairs of the (upsampled) CAM grid, where
    ``w_ij = exp(-||p_i - p_j||^2 / (2 sigma^2)) / (2 pi sigma^2)`` (eq. 10, grid positions),
    ``g = 0.5 ||r_i - r_j||_2^2`` (eq. 11, over channels),
    ``f = tanh(mu + log(delta / (1 - delta)))`` (eq. 12) and ``delta = ||x_i - x_j||_1 / 3``
    (eq. 13). ``f`` is evaluated in the identical rational form
    ``(e^{2mu} d^2 - (1-d)^2) / (e^{2mu} d^2 + (1-d)^2)``, exact at d = 0 and 1.

    The sum is computed exactly (no truncation of the Gaussian) as a graph-Laplacian quadratic
    form, block by block, with O(B K HW) memory kept for backward instead of B HW^2; value and
    gradient equal the dense formula. The loss runs in float32 with autocast disabled.

    Gate input ``r`` from the logits ``s`` (after optional bilinear ``upsample``):

    * ``gating='max_norm'`` (default, the paper's choice): ``ReLU(s) / max ReLU(s)`` per image
      and channel (eq. 4; a channel with max 0 gives r = 0). ``norm='minmax'`` selects the
      public code's min-max variant ``ReLU(a - min a - 1e-5) / (max a - min a + 1e-5)``,
      ``a = ReLU(s)``.
    * ``'sigmoid'``: ``b = sigmoid(s)`` (eq. 14); ``'logits'``: ``s`` (eq. 19, diverges);
      ``'softmax'``: ``a = softmax_C(s)``, the multinomial FSL of [19] (eq. 5).
    * ``mask_absent=True``: ``r`` is multiplied by the labels so absent classes add nothing.
    * ``background='one_minus_max'``: prepend ``1 - max_c r_c`` (after masking), like the public
      SEAM code (not in the paper); ``None``: no extra channel.

    Images are RGB in [0, 1] (B, 3, H, W), any size; they are bilinearly resized to the CAM grid
    (``align_corners=False`` by default; the public code uses True: ``image_align_corners``)
    and clamped to [0, 1]. Inputs clearly outside [0, 1] (below -0.05 or above 1.05, e.g. still
    mean/std normalised, or 0..255) raise ``ValueError``.

    Args:
        mu (float): dissimilarity threshold of eq. (12). Default 2.5.
        sigma (float): spatial std of eq. (10), in CAM-grid pixels. Default 5.0.
        gating (str): 'max_norm' | 'sigmoid' | 'logits' | 'softmax'.
        mask_absent (bool): zero absent classes (sec. 4.3). Default True.
        background (str | None): None or 'one_minus_max'.
        upsample (int): integer bilinear upsampling of the logits before gating
            (SIPE 2, MCTformer 4). Default 1.
        upsample_mode (str): interpolation of ``upsample``: 'bilinear' (default; the paper
            does not say), 'bicubic' or 'nearest'.
        loss_weight (float): multiplier. Default 1.0.
        norm (str): 'max' (eq. 4) or 'minmax' (public code), for ``gating='max_norm'``.
        eps (float): 0 = paper; 1e-5 reproduces the public ``(d+eps)/(1-d+eps)``.
        radius (float | None): optional truncation of pairs farther than ``radius`` grid pixels
            (faster, NOT exact). Default None (exact).
        image_align_corners (bool): ``align_corners`` of the image resize. Default False.
        block_elems (int | None): kernel block size in elements (speed / memory only);
            None = 2^20 on CPU, 2^24 on CUDA.
        loss_name (str): key of the loss in the log dict. Default 'loss_fsl'.

    Shapes:
        cam_logits (B, C, h, w); images (B, 3, H, W); labels (B, C) (may be None only when
        ``mask_absent=False``).
    """

    def __init__(self,
                 mu: float = 2.5,
                 sigma: float = 5.0,
                 gating: str = 'max_norm',
                 mask_absent: bool = True,
                 background: Optional[str] = None,
                 upsample: int = 1,
                 loss_weight: float = 1.0,
                 norm: str = 'max',
                 eps: float = 0.0,
                 radius: Optional[float] = None,
                 image_align_corners: bool = False,
                 block_elems: Optional[int] = None,
                 loss_name: str = 'loss_fsl',
                 upsample_mode: str = 'bilinear') -> None:
        super().__init__()
        _check_fsl_args(mu, sigma, gating, norm, mask_absent, background, upsample, eps, radius,
                        image_align_corners, block_elems, upsample_mode)
        if isinstance(loss_weight, bool) or not isinstance(loss_weight, (int, float)):
            raise ValueError(f'loss_weight must be a number, got {loss_weight!r}')
        if not isinstance(loss_name, str) or not loss_name:
            raise ValueError(f'loss_name must be a non-empty str, got {loss_name!r}')
        self.mu = float(mu)
        self.sigma = float(sigma)
        self.gating = gating
        self.norm = norm
        self.mask_absent = mask_absent
        self.background = background
        self.upsample = upsample
        self.upsample_mode = upsample_mode
        self.loss_weight = float(loss_weight)
        self.eps = float(eps)
        self.radius = None if radius is None else float(radius)
        self.image_align_corners = image_align_corners
        self.block_elems = block_elems
        self._loss_name = loss_name

    def forward(self,
                cam_logits: torch.Tensor,
                images: torch.Tensor,
                labels: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Compute the loss.

        Args:
            cam_logits (Tensor): CAM logits ``s`` (B, C, h, w).
            images (Tensor): RGB images in [0, 1] (B, 3, H, W), any H, W.
            labels (Tensor, optional): multi-hot labels (B, C); required if ``mask_absent``.

        Returns:
            Tensor: scalar ``loss_weight * L_fs`` (eq. 9).
        """
        loss = masked_fsl(cam_logits, images, labels, self.mu, self.sigma, self.gating,
                          self.norm, self.mask_absent, self.background, self.upsample, self.eps,
                          self.radius, self.image_align_corners, self.block_elems,
                          self.upsample_mode)
        return self.loss_weight * loss

    @property
    def loss_name(self) -> str:
        """Name of the loss item (mmseg convention: must start with 'loss_' to be back-propagated
        by mmseg's ``parse_losses``)."""
        return self._loss_name

    def extra_repr(self) -> str:
        return (f'mu={self.mu}, sigma={self.sigma}, gating={self.gating!r}, norm={self.norm!r}, '
                f'mask_absent={self.mask_absent}, background={self.background!r}, '
                f'upsample={self.upsample}, upsample_mode={self.upsample_mode!r}, loss_weight={self.loss_weight}, eps={self.eps}, '
                f'radius={self.radius}')
