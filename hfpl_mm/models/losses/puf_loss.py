"""PMM's pretended under-fitting cross-entropy (PUF): noisy pseudo-labels stop pulling once the
model fits the batch.

Paper: `Pipeline Multi-scale Multi-crop ... (PMM) <https://arxiv.org/abs/2106.11062>`_ (Li et al.,
"pretended under-fitting strategy"). Reference semantics: https://github.com/Eli-YiLi/WSSS_MMSeg
(``mmseg/models/losses/cross_entropy_loss.py::cross_entropy`` with ``pus_type``, ``pus_beta``,
``pus_k``; ``configs/pspnet_wsss/pspnet_wres38-d8_20k_voc12aug_pus.py``: clamp, 0.5, 0.5).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .utils import register_loss

__all__ = ['PUFCrossEntropyLoss', 'puf_cross_entropy']

MODES = ('clamp', 'pow', 'ignore', 'none')


def puf_cross_entropy(logits: torch.Tensor, label: torch.Tensor, beta: float = 0.5,
                      k: float = 0.5, mode: str = 'clamp',
                      ignore_index: int = 255) -> torch.Tensor:
    """Per-pixel cross-entropy (B, H, W) with PMM's rule: when its mean over *all* pixels
    (ignored ones count 0, as the public code) is below ``beta``, each pixel's loss is
    ``clamp(l, 0, k)`` ('clamp', PMM's choice), ``(l + 1e-9)^k`` ('pow') or ``l [l <= k]``
    ('ignore'); 'none' is the plain cross-entropy."""
    if mode not in MODES:
        raise ValueError(f'PUF mode must be one of {MODES}, got {mode!r}')
    loss = F.cross_entropy(logits, label, reduction='none', ignore_index=ignore_index)
    if mode != 'none' and loss.mean() < beta:
        if mode == 'clamp':
            loss = loss.clamp(0, k)
        elif mode == 'pow':
            loss = (loss + 1e-9).pow(k)
        else:
            loss = loss * (loss <= k).float()
    return loss


@register_loss
class PUFCrossEntropyLoss(nn.Module):
    """Pretended under-fitting cross-entropy as an mmseg decode-head loss
    (``loss_decode=dict(type='PUFCrossEntropyLoss')``); see :func:`puf_cross_entropy`.

    Args:
        beta (float): Batch-mean loss below which the rule applies. Defaults to 0.5 (PMM).
        k (float): Clamp value (or power / cut-off). Defaults to 0.5 (PMM).
        mode (str): 'clamp' (PMM), 'pow', 'ignore' or 'none'. Defaults to 'clamp'.
        avg_non_ignore (bool): Average over the labelled pixels instead of all pixels (mmseg's
            option). Defaults to False: all pixels, as mmseg 0.x and WSSS_MMSeg.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        loss_name (str): Key in the log dict. Defaults to 'loss_ce'.
    """

    def __init__(self, beta: float = 0.5, k: float = 0.5, mode: str = 'clamp',
                 avg_non_ignore: bool = False, loss_weight: float = 1.0,
                 loss_name: str = 'loss_ce') -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(f'PUFCrossEntropyLoss: mode must be one of {MODES}, got {mode!r}')
        self.beta, self.k, self.mode = float(beta), float(k), mode
        self.avg_non_ignore = avg_non_ignore
        self.loss_weight = float(loss_weight)
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        return self._loss_name

    def forward(self, cls_score: torch.Tensor, label: torch.Tensor, weight=None,
                ignore_index: int = 255, **kwargs) -> torch.Tensor:
        if cls_score.dim() != 4 or label.shape != (cls_score.shape[0], ) + cls_score.shape[2:]:
            raise ValueError(f'PUFCrossEntropyLoss: logits (B, C, H, W) and labels (B, H, W) '
                             f'expected, got {tuple(cls_score.shape)} and {tuple(label.shape)}')
        loss = puf_cross_entropy(cls_score, label, self.beta, self.k, self.mode, ignore_index)
        if weight is not None:
            loss = loss * weight.float()
        if self.avg_non_ignore:
            loss = loss.sum() / (label != ignore_index).sum().clamp_min(1)
        else:
            loss = loss.mean()
        return self.loss_weight * loss

    def extra_repr(self) -> str:
        return f'beta={self.beta}, k={self.k}, mode={self.mode!r}'
