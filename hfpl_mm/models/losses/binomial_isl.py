"""Importance sampling loss (ISL) with the binomial posterior (paper eqs. 3, 8, 14-18).

Reference semantics: the authors' code, https://github.com/arvijj/hfpl
(``tool/probutils.py::sample_probs`` and its call in ``train_cam_voc.py``).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from .utils import (check_cam_labels, check_finite_inputs, compute_dtype, no_autocast,
                    register_loss)

__all__ = ['BinomialISL', 'binomial_isl', 'importance_sampling_loss']

_POSTERIORS = ('binomial', 'multinomial')
_LOG_CLAMP = -100.0  # as torch.nn.functional.binary_cross_entropy: log terms clamped at -100


def _gap_bce(s: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """L_ce of eq. (17): BCE-with-logits of the spatial mean of ``s`` (GAP, eq. 3 as a mean)."""
    return F.binary_cross_entropy_with_logits(s.mean(dim=(2, 3)), y)


def importance_sampling_loss(s: torch.Tensor,
                             y: torch.Tensor,
                             num_samples: int = 10,
                             posterior: str = 'binomial',
                             eps: float = 1e-5) -> torch.Tensor:
    """Multi-sample importance sampling loss L_is^N (eqs. 14, 15, 18; eqs. 5-8 if multinomial).

    For every image and class ``num_samples`` pixels are drawn with replacement (global torch
    RNG) from ``p_c ~ b_c + eps`` (binomial, ``b = sigmoid(s)``) or ``p_c ~ a_c + eps``
    (multinomial, ``a = softmax_C(s)``); the sampling weights are detached, so the gradient
    reaches only the sampled scores. The BCE of eq. (8) is averaged over (B, C, N).

    * binomial: BCE-with-logits of the sampled *logits* (identical to eq. 8 on the sampled
      ``b``, numerically stable for any logit).
    * multinomial: BCE on the sampled softmax probabilities, with ``log a_c`` and
      ``log(1 - a_c) = logsumexp_{k != c} s_k - logsumexp_k s_k`` computed exactly in log space
      and clamped at -100 (like ``F.binary_cross_entropy``) so ``a`` in {0, 1} gives no inf.

    Args:
        s (Tensor): logits (B, C, h, w), float32/float64.
        y (Tensor): multi-hot labels (B, C), same dtype as ``s``.
        num_samples (int): N of eq. (18).
        posterior (str): 'binomial' (eq. 14) or 'multinomial' (eq. 5).
        eps (float): added to the sampling weights so that every pixel has mass.

    Returns:
        Tensor: scalar loss.
    """
    B, C, h, w = s.shape
    flat = s.flatten(2)  # (B, C, HW)
    with torch.no_grad():
        if posterior == 'binomial':
            weights = torch.sigmoid(flat)
        else:
            weights = torch.softmax(flat, dim=1)
        weights = weights + eps
    idx = torch.multinomial(weights.reshape(B * C, h * w), num_samples, replacement=True)
    idx = idx.view(B, C, num_samples)
    target = y[..., None].expand(B, C, num_samples)
    if posterior == 'binomial':
        z = flat.gather(2, idx)  # sampled logits (B, C, N), differentiable
        return F.binary_cross_entropy_with_logits(z, target)
    # multinomial: all class scores at the sampled pixel of each (b, c, n): (B, C, N, C)
    gathered = flat.gather(2, idx.reshape(B, 1, C * num_samples).expand(B, C, C * num_samples))
    gathered = gathered.view(B, C, C, num_samples).permute(0, 2, 3, 1)  # (B, c, n, k)
    lse = torch.logsumexp(gathered, dim=-1)  # (B, C, N)
    own = torch.diagonal(gathered, dim1=1, dim2=3).permute(0, 2, 1)  # s_c at its own pixel
    log_a = own - lse
    if C > 1:
        eye = torch.eye(C, dtype=torch.bool, device=s.device)[None, :, None, :]
        others = gathered.masked_fill(eye, float('-inf'))
        log_1ma = torch.logsumexp(others, dim=-1) - lse
    else:  # a single class: softmax is identically 1, log(1 - a) = -inf -> clamped
        log_1ma = torch.full_like(log_a, _LOG_CLAMP)
    log_a = log_a.clamp_min(_LOG_CLAMP)
    log_1ma = log_1ma.clamp_min(_LOG_CLAMP)
    return -(target * log_a + (1 - target) * log_1ma).mean()


def binomial_isl(cam_logits: torch.Tensor,
                 labels: torch.Tensor,
                 num_samples: int = 10,
                 lam: float = 0.2,
                 posterior: str = 'binomial',
                 eps: float = 1e-5) -> torch.Tensor:
    """Combined classification loss of eq. (16): ``(1 - lam) L_ce + lam L_is^N``.

    Computed in float32 (float64 inputs stay float64) with autocast disabled. ``lam == 0``
    skips the sampling (and thus consumes no random numbers). See :class:`BinomialISL`.
    """
    _check_isl_args(num_samples, lam, posterior, eps)
    check_cam_labels(cam_logits, labels)
    check_finite_inputs('BinomialISL', cam_logits, labels)
    with no_autocast(cam_logits.device.type):
        dtype = compute_dtype(cam_logits)
        s = cam_logits.to(dtype)
        y = labels.to(device=s.device, dtype=dtype)
        loss = _gap_bce(s, y)
        if lam > 0:
            l_is = importance_sampling_loss(s, y, num_samples, posterior, eps)
            loss = (1 - lam) * loss + lam * l_is
    return loss


def _check_isl_args(num_samples, lam, posterior, eps) -> None:
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 1:
        raise ValueError(f'num_samples must be an int >= 1, got {num_samples!r}')
    if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not 0.0 <= lam <= 1.0:
        raise ValueError(f'lam must be a number in [0, 1], got {lam!r}')
    if posterior not in _POSTERIORS:
        raise ValueError(f'posterior must be one of {_POSTERIORS}, got {posterior!r}')
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not eps > 0:
        raise ValueError(f'eps must be a positive number, got {eps!r}')


@register_loss
class BinomialISL(nn.Module):
    """Binomial importance sampling loss mixed with the GAP BCE (eqs. 3, 14-18).

    ``loss_weight * ((1 - lam) * L_ce + lam * L_is^N)`` where

    * ``L_ce`` (eq. 17): BCE-with-logits of the spatial *mean* of the logits (GAP, eq. 3 with a
      mean instead of the sum, as every public implementation does) against the labels, averaged
      over B and C.
    * ``L_is^N`` (eqs. 14, 15, 18): per image and class ``num_samples`` pixels are drawn with
      replacement from ``p_c ~ sigmoid(s_c) + eps`` (``torch.multinomial``, global RNG, so
      ``torch.manual_seed`` makes it reproducible); the BCE-with-logits of the sampled logits
      against ``y_c`` is averaged over (B, C, N). Gradients flow only through the sampled logits.
      Samples are drawn for all classes, present or absent (eq. 8 sums over all C).
    * ``posterior='multinomial'``: the softmax variant of [19] (eqs. 5-8): ``a = softmax_C(s)``,
      sampling ``~ a_c + eps`` and BCE on the sampled ``a`` values (exact log-space form,
      log terms clamped at -100); ``L_ce`` stays the GAP BCE of ``s``. With this variant the
      channels of ``cam_logits`` are the softmax's classes (include a background channel if
      the model has one).

    ``eps`` (1e-5, as the public code) is not in eq. (15); it guarantees mass for all-negative
    logits. The loss is computed in float32 with autocast disabled.

    Args:
        num_samples (int): N, pixels sampled per image and class (eq. 18). Default 10.
        lam (float): lambda of eq. (16), in [0, 1]. Default 0.2.
        loss_weight (float): multiplier of the returned loss. Default 1.0.
        posterior (str): 'binomial' (eq. 14, proposed) or 'multinomial' (eq. 5, [19]).
        eps (float): added to the sampling weights. Default 1e-5.
        loss_name (str): key of the loss in the log dict. Default 'loss_isl'.

    Shapes:
        cam_logits (B, C, h, w) logits; labels (B, C) multi-hot (float, int or bool).
    """

    def __init__(self,
                 num_samples: int = 10,
                 lam: float = 0.2,
                 loss_weight: float = 1.0,
                 posterior: str = 'binomial',
                 eps: float = 1e-5,
                 loss_name: str = 'loss_isl') -> None:
        super().__init__()
        _check_isl_args(num_samples, lam, posterior, eps)
        if isinstance(loss_weight, bool) or not isinstance(loss_weight, (int, float)):
            raise ValueError(f'loss_weight must be a number, got {loss_weight!r}')
        if not isinstance(loss_name, str) or not loss_name:
            raise ValueError(f'loss_name must be a non-empty str, got {loss_name!r}')
        self.num_samples = num_samples
        self.lam = float(lam)
        self.loss_weight = float(loss_weight)
        self.posterior = posterior
        self.eps = float(eps)
        self._loss_name = loss_name

    def forward(self, cam_logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            cam_logits (Tensor): CAM logits ``s`` of shape (B, C, h, w).
            labels (Tensor): image-level multi-hot labels of shape (B, C).

        Returns:
            Tensor: scalar ``loss_weight * ((1 - lam) L_ce + lam L_is^N)`` (eq. 16).
        """
        loss = binomial_isl(cam_logits, labels, self.num_samples, self.lam, self.posterior,
                            self.eps)
        return self.loss_weight * loss

    @property
    def loss_name(self) -> str:
        """Name of the loss item (mmseg convention: must start with 'loss_' to be back-propagated
        by mmseg's ``parse_losses``)."""
        return self._loss_name

    def extra_repr(self) -> str:
        return (f'num_samples={self.num_samples}, lam={self.lam}, loss_weight={self.loss_weight}, '
                f'posterior={self.posterior!r}, eps={self.eps}')
