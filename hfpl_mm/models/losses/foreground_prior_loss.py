"""KL prior of Spatial-BCE: the mean foreground probability of each present class should match
the image's foreground ratio.

Reference semantics: https://github.com/allenwu97/Spatial-BCE (``loss_functions.py::KLLoss``).
"""
import torch
import torch.nn as nn

from .utils import check_cam_labels, compute_dtype, no_autocast, register_loss

__all__ = ['ForegroundPriorLoss']


@register_loss
class ForegroundPriorLoss(nn.Module):
    """``KL(m || [1 - rho, rho])`` per present class, summed and divided by the number of
    positive labels in the batch.

    ``m = mean over pixels of [1 - p, p]`` with ``p = sigmoid(s)`` of the logits (B, C, h, w)
    and ``rho`` the image's foreground ratio of the class (B, C). As the public code, each
    term is ``m_k log(clamp(m_k / (prior_k + 1e-10), eps))``. A batch without positive labels
    divides by 1 (the public code divides by 0).

    Args:
        eps (float): Lower clamp of the ratio inside the log. Defaults to 1e-8.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        loss_name (str): Key of the loss in the log dict. Defaults to 'loss_prior'.
    """

    def __init__(self, eps: float = 1e-8, loss_weight: float = 1.0,
                 loss_name: str = 'loss_prior') -> None:
        super().__init__()
        self.eps = float(eps)
        self.loss_weight = float(loss_weight)
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        return self._loss_name

    def forward(self, logits: torch.Tensor, labels: torch.Tensor,
                fg_ratio: torch.Tensor) -> torch.Tensor:
        check_cam_labels(logits, labels)
        if fg_ratio.shape != labels.shape:
            raise ValueError(f'ForegroundPriorLoss: fg_ratio {tuple(fg_ratio.shape)} does not '
                             f'match the labels {tuple(labels.shape)}')
        with no_autocast(logits.device.type):
            dtype = compute_dtype(logits)
            p = logits.to(dtype).flatten(2).sigmoid().mean(-1)  # (B, C)
            y = labels.to(device=p.device, dtype=dtype)
            rho = fg_ratio.to(device=p.device, dtype=dtype)
            marginal = torch.stack([1 - p, p], dim=-1)
            prior = torch.stack([1 - rho, rho], dim=-1)
            kl = (marginal * (marginal / (prior + 1e-10)).clamp_min(self.eps).log()).sum(-1)
            return self.loss_weight * (y * kl).sum() / y.sum().clamp_min(1)

    def extra_repr(self) -> str:
        return f'eps={self.eps}, loss_weight={self.loss_weight}'
