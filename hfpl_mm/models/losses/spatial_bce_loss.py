"""Spatial BCE with learned thresholds (Wu et al., ECCV 2022), the classification loss of the
Spatial-BCE baseline.

Paper: T. Wu et al., *Adaptive Spatial-BCE Loss for Weakly Supervised Semantic Segmentation*,
ECCV 2022. Reference semantics: https://github.com/allenwu97/Spatial-BCE
(``loss_functions.py::Spatial_BCE_Loss``, called from ``train.py`` with the global step).
"""
import torch
import torch.nn as nn

from .utils import check_cam_labels, compute_dtype, no_autocast, register_loss

__all__ = ['SpatialBCELoss', 'spatial_bce_phi', 'rank_thresholds']


def spatial_bce_phi(p: torch.Tensor, t: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """The per-pixel spatial BCE ``phi(p; t)`` of a positive class: ``2p/t - p^2/t^2`` for
    ``p <= t`` and ``(1 - p)(1 - 2t + p) / (1 - t)^2`` above (``(1 - t)^2`` clamped at ``eps``);
    0 at p = 0 and p = 1, its peak 1 at p = t, so minimising it pushes pixels away from t."""
    low = 2 * p / t - p.pow(2) / t.pow(2)
    high = (1 - p) * (1 - 2 * t + p) / (1 - t).pow(2).clamp_min(eps)
    return torch.where(p <= t, low, high)


def rank_thresholds(p: torch.Tensor, fg_ratio: torch.Tensor) -> torch.Tensor:
    """Per image and class the value of rank ``floor(rho_c HW)`` of the descending sorted
    probabilities: ``p`` (B, C, N), ``fg_ratio`` (B, C) in [0, 1] -> (B, C, 1), detached.

    The rank is clamped to N - 1 (the public code indexes out of range for rho = 1)."""
    n = p.shape[-1]
    ranks = (fg_ratio.to(p.dtype) * n).long().clamp(0, n - 1)  # .int() truncates, as floor
    return p.detach().sort(dim=-1, descending=True).values.gather(-1, ranks[..., None])


@register_loss
class SpatialBCELoss(nn.Module):
    """Spatial BCE of Spatial-BCE with its two alternating modes.

    With ``p = sigmoid(s)`` of the temperature-scaled logits (B, C, h, w) and the image labels
    ``y``, iteration ``k`` of a training is

    * a *score* iteration when ``k mod period < score_iters`` (80 of every 100): the threshold
      of class c is the value of rank ``floor(rho_c HW)`` of the sorted detached ``p_c``
      (``rho``: the image's foreground ratios), and the loss is the mean over (b, c, pixel) of
      ``y phi(p; t) - (1 - y) log(1 - p)`` (``1 - p`` clamped at ``eps``);
    * a *threshold* iteration otherwise: ``t_c = sigmoid(mean of the threshold head's map)``
      (trainable), ``p`` detached, and the loss is the mean of ``phi`` over the positive
      classes' pixels at or below their threshold plus its mean over those above.

    ``t`` is clamped at ``min_threshold``. Deviation: the two means of a threshold iteration
    divide by at least 1 pixel (the public code divides by zero when no pixel is below, or
    above, every threshold). ``loss_weight`` scales the score iterations only, the losses of
    the scores (e.g. ``1 - lambda`` to mix ISL into them as HFPL eq. 16); threshold iterations
    train only the threshold head and are not scaled.

    Args:
        period (int): Length of the alternation cycle. Defaults to 100.
        score_iters (int): Score iterations at the start of each cycle. Defaults to 80.
        min_threshold (float): Lower clamp of the thresholds. Defaults to 1e-4.
        eps (float): Clamp of ``1 - p`` and ``(1 - t)^2``. Defaults to 1e-8.
        loss_weight (float): Weight of the score iterations' loss. Defaults to 1.0.
        loss_name (str): Key of the loss in the log dict. Defaults to 'loss_sbce'.

    Shapes:
        logits (B, C, h, w); threshold_logits (B, C, h', w') (threshold head); labels (B, C)
        multi-hot; fg_ratio (B, C) in [0, 1].
    """

    def __init__(self, period: int = 100, score_iters: int = 80, min_threshold: float = 1e-4,
                 eps: float = 1e-8, loss_weight: float = 1.0,
                 loss_name: str = 'loss_sbce') -> None:
        super().__init__()
        if not 0 <= score_iters <= period or period < 1:
            raise ValueError(f'need 0 <= score_iters <= period and period >= 1, got '
                             f'score_iters={score_iters}, period={period}')
        self.period, self.score_iters = int(period), int(score_iters)
        self.min_threshold, self.eps = float(min_threshold), float(eps)
        self.loss_weight = float(loss_weight)
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        return self._loss_name

    def is_score_iteration(self, iteration: int) -> bool:
        """Whether ``iteration`` trains the scores (rank thresholds) or the threshold head."""
        return iteration % self.period < self.score_iters

    def forward(self, logits: torch.Tensor, threshold_logits: torch.Tensor,
                labels: torch.Tensor, fg_ratio: torch.Tensor, iteration: int = 0) -> torch.Tensor:
        check_cam_labels(logits, labels)
        if fg_ratio.shape != labels.shape:
            raise ValueError(f'SpatialBCELoss: fg_ratio {tuple(fg_ratio.shape)} does not match '
                             f'the labels {tuple(labels.shape)}')
        if threshold_logits.shape[:2] != logits.shape[:2]:
            raise ValueError(f'SpatialBCELoss: threshold map {tuple(threshold_logits.shape)} '
                             f'does not match the logits {tuple(logits.shape)}')
        with no_autocast(logits.device.type):
            dtype = compute_dtype(logits)
            p = logits.to(dtype).flatten(2).sigmoid()
            y = labels.to(device=p.device, dtype=dtype)[..., None]
            score = self.is_score_iteration(iteration)
            if score:
                t = rank_thresholds(p, fg_ratio.to(p.device))
            else:
                t = threshold_logits.to(dtype).flatten(2).mean(-1, keepdim=True).sigmoid()
                p = p.detach()
            t = t.clamp_min(self.min_threshold)
            phi = spatial_bce_phi(p, t, self.eps) * y
            if score:
                neg = -(1 - y) * (1 - p).clamp_min(self.eps).log()
                return self.loss_weight * (phi + neg).mean()
            low = ((p <= t) * y).detach()
            high = ((p > t) * y).detach()
            return ((phi * low).sum() / low.sum().clamp_min(1) +
                    (phi * high).sum() / high.sum().clamp_min(1))

    def extra_repr(self) -> str:
        return (f'period={self.period}, score_iters={self.score_iters}, '
                f'min_threshold={self.min_threshold}, loss_weight={self.loss_weight}')
