"""Shared helpers of the ISL / FSL losses (torch only).

Nothing here imports mmengine, mmcv, mmseg or mmpretrain, so the loss modules (and
``tools/analysis_tools/benchmark_fsl.py``) run on a machine that has torch alone.
"""
import contextlib
from typing import Iterator, Optional

import torch
import torch.nn.functional as F

try:  # registry is optional: the losses must import with torch alone
    from mmengine.registry import MODELS
except ImportError:  # pragma: no cover - exercised only without mmengine
    MODELS = None

__all__ = [
    'MODELS', 'register_loss', 'no_autocast', 'compute_dtype', 'check_cam_labels',
    'check_finite_inputs', 'check_images', 'max_norm', 'minmax_norm'
]


def register_loss(cls):
    """Register ``cls`` on the root mmengine ``MODELS`` registry when mmengine is present."""
    if MODELS is not None:
        MODELS.register_module(module=cls)
    return cls


@contextlib.contextmanager
def no_autocast(device_type: str) -> Iterator[None]:
    """Disable autocast for ``device_type`` (no-op where autocast is unsupported)."""
    try:
        ctx = torch.autocast(device_type=device_type, enabled=False)
    except (RuntimeError, ValueError):  # device type without autocast support
        ctx = contextlib.nullcontext()
    with ctx:
        yield


def compute_dtype(t: torch.Tensor) -> torch.dtype:
    """float64 stays float64; every other dtype (fp16, bf16, fp32, ints) computes in float32."""
    return torch.float64 if t.dtype == torch.float64 else torch.float32


def check_cam_labels(cam_logits: torch.Tensor, labels: Optional[torch.Tensor],
                     need_labels: bool = True) -> None:
    """Raise ``ValueError`` unless ``cam_logits`` is (B, C, h, w) and ``labels`` is (B, C)."""
    if not isinstance(cam_logits, torch.Tensor) or cam_logits.dim() != 4:
        shape = tuple(cam_logits.shape) if isinstance(cam_logits, torch.Tensor) else type(
            cam_logits)
        raise ValueError(f'cam_logits must be a 4-D tensor (B, C, h, w), got shape {shape}')
    if cam_logits.numel() == 0:
        raise ValueError(f'cam_logits must be non-empty, got shape {tuple(cam_logits.shape)}')
    if labels is None:
        if need_labels:
            raise ValueError('labels (B, C) are required')
        return
    if not isinstance(labels, torch.Tensor):
        raise ValueError(f'labels must be a tensor of shape (B, C), got {type(labels)}')
    B, C = cam_logits.shape[:2]
    if tuple(labels.shape) != (B, C):
        raise ValueError(f'labels shape {tuple(labels.shape)} does not match cam_logits shape '
                         f'{tuple(cam_logits.shape)}: expected labels of shape ({B}, {C})')


def check_finite_inputs(loss: str, cam_logits: torch.Tensor,
                        labels: Optional[torch.Tensor] = None) -> None:
    """Raise ``ValueError`` naming ``loss`` when ``cam_logits`` has NaN / inf (a diverged model:
    without this, ISL dies in ``torch.multinomial`` with "invalid multinomial distribution") or
    ``labels`` has values outside [0, 1] (or NaN). One device synchronisation."""
    checks = [torch.isfinite(cam_logits.detach()).all()]
    if labels is not None:
        lab = labels.detach().float()
        checks.append(((lab >= 0) & (lab <= 1)).all())
    finite, *in_range = torch.stack(checks).tolist()
    if not finite:
        raise ValueError(f'{loss}: cam_logits of shape {tuple(cam_logits.shape)} contain '
                         'non-finite values (NaN or inf): the model diverged (lower the learning '
                         'rate) or its input is broken')
    if in_range and not in_range[0]:
        lab = labels.detach().float()
        lo, hi = float(lab.nan_to_num(nan=float('inf')).min()), float(lab.max())
        raise ValueError(f'{loss}: labels must be multi-hot (or soft) values in [0, 1]; got '
                         f'values in [{lo:.4g}, {hi:.4g}]'
                         + (' and NaN' if bool(torch.isnan(lab).any()) else '') +
                         f' (shape {tuple(labels.shape)})')


def check_images(images: torch.Tensor, cam_shape, lo: float = -0.05, hi: float = 1.05) -> None:
    """Check that ``images`` is (B, 3, H, W) with values in [0, 1] (up to rounding).

    Raises:
        ValueError: wrong shape / batch, or values outside ``[lo, hi]`` (e.g. still mean/std
            normalised or in 0..255), or non-finite values. The observed range is reported.
    """
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or images.shape[1] != 3:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images)
        raise ValueError(f'images must be a (B, 3, H, W) RGB tensor, got shape {shape} '
                         f'(cam_logits shape {tuple(cam_shape)})')
    cam_shape = tuple(cam_shape)
    if images.shape[0] != cam_shape[0]:
        raise ValueError(f'images shape {tuple(images.shape)} does not match cam_logits shape '
                         f'{cam_shape}: batch sizes differ')
    if images.numel() == 0:
        raise ValueError(f'images must be non-empty, got shape {tuple(images.shape)}')
    lo_v, hi_v = torch.aminmax(images.detach().float())
    lo_v, hi_v = float(lo_v), float(hi_v)  # one host sync (two scalars)
    if not (lo_v >= lo and hi_v <= hi):  # also catches NaN
        raise ValueError(
            f'images must be RGB in [0, 1]; observed range [{lo_v:.4g}, {hi_v:.4g}]. They look '
            'mean/std normalised or scaled to 0..255 (or contain non-finite values): '
            'de-normalise to [0, 1] before the feature similarity loss')


def max_norm(s: torch.Tensor) -> torch.Tensor:
    """Max-normalised CAM of eq. (4): ``ReLU(s) / max_{pixels} ReLU(s)`` per image and channel.

    Exactly the paper's formula (no epsilon). The only guard is for a channel whose maximum is
    0 (all logits <= 0): the denominator is clamped to the smallest normal float, giving r = 0
    there instead of 0/0. Whenever the max is positive the value and the autograd gradient
    (including the path through the max) are those of the plain formula.
    """
    a = F.relu(s)
    m = a.amax(dim=(-2, -1), keepdim=True)
    return a / m.clamp_min(torch.finfo(a.dtype).tiny)


def minmax_norm(s: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Min-max variant ``MMN`` of the public SEAM / hfpl code (``max_norm`` of YudeWang/SEAM's
    and arvijj/hfpl's ``train_*.py``).

    ``a = ReLU(s)``, ``m = min a``, ``M = max a``, ``ReLU(a - m - eps) / (M - m + eps)`` per image
    and channel. Equals :func:`max_norm` up to ``eps`` whenever some logit is <= 0.
    """
    a = F.relu(s)
    m = a.amin(dim=(-2, -1), keepdim=True)
    M = a.amax(dim=(-2, -1), keepdim=True)
    return F.relu(a - m - eps) / (M - m + eps)

