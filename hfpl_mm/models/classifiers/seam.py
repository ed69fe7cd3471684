"""SEAM: self-supervised equivariant attention mechanism (Wang et al., CVPR 2020).

Paper: `Self-supervised Equivariant Attention Mechanism for Weakly Supervised Semantic
Segmentation <https://arxiv.org/abs/2004.04581>`_. Reference semantics: the public code,
https://github.com/YudeWang/SEAM (``train_SEAM.py``, ``network/resnet38_SEAM.py``,
``infer_SEAM.py``) and, with ISL / FSL, https://github.com/arvijj/hfpl (``train_cam_voc.py``).
"""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from ..losses import minmax_norm
from .cam_classifier import CAMClassifier

__all__ = ['PixelCorrelationModule', 'SEAM']


def _resize(x: torch.Tensor, size, align_corners: bool = True) -> torch.Tensor:
    return F.interpolate(x, size=tuple(size), mode='bilinear', align_corners=align_corners)


def _background_one_minus_max(r: torch.Tensor) -> torch.Tensor:
    """``bg1``: replace channel 0 by ``1 - max_{c >= 1} r_c``, as SEAM's code completes the
    background of its max-normalised maps."""
    return torch.cat([1 - r[:, 1:].amax(dim=1, keepdim=True), r[:, 1:]], dim=1)


def _keep_max(r: torch.Tensor) -> torch.Tensor:
    """Zero every foreground channel but the per-pixel maximum (ties kept); channel 0 as is."""
    fg = r[:, 1:]
    fg = torch.where(fg < fg.amax(dim=1, keepdim=True), torch.zeros_like(fg), fg)
    return torch.cat([r[:, :1], fg], dim=1)


@MODELS.register_module()
class PixelCorrelationModule(BaseModule):
    """SEAM's pixel correlation module (PCM, paper sec. 3.3).

    The seed ``q`` (no gradient) is the max-normalised score map with channel 0 replaced by
    ``1 - max`` foreground and, among the foreground channels, only the per-pixel maximum
    kept. A feature ``f = f9([x, ReLU(f8_3(low)), ReLU(f8_4(high))])`` (image and detached
    backbone features, all at the score resolution) is L2-normalised per pixel; the affinity
    ``A = ReLU(f^T f)`` is normalised over its first index and the output is ``q A``.

    Args:
        in_channels (tuple[int, int]): Channels of the low / high backbone features
            (SEAM: ``conv4`` 512, ``conv5`` 1024). Defaults to (512, 1024).
        feat_channels (tuple[int, int]): Channels of ``f8_3`` / ``f8_4``. Defaults to (64, 128).
        out_channels (int): Channels of ``f9``. Defaults to 192.
        eps (float): Stabiliser of the normalisations, as SEAM. Defaults to 1e-5.
        init_cfg (dict, optional): Initialisation config. Defaults to None: SEAM's
            (Kaiming-normal ``f8_*``, Xavier-uniform ``f9`` with gain 4).
    """

    def __init__(self,
                 in_channels: Tuple[int, int] = (512, 1024),
                 feat_channels: Tuple[int, int] = (64, 128),
                 out_channels: int = 192,
                 eps: float = 1e-5,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        self.f8_3 = nn.Conv2d(in_channels[0], feat_channels[0], 1, bias=False)
        self.f8_4 = nn.Conv2d(in_channels[1], feat_channels[1], 1, bias=False)
        self.f9 = nn.Conv2d(3 + sum(feat_channels), out_channels, 1, bias=False)
        self.eps = eps

    def init_weights(self) -> None:
        """SEAM's initialisation unless an ``init_cfg`` is given."""
        if self.init_cfg is not None:
            return super().init_weights()
        nn.init.kaiming_normal_(self.f8_3.weight)
        nn.init.kaiming_normal_(self.f8_4.weight)
        nn.init.xavier_uniform_(self.f9.weight, gain=4)

    @torch.no_grad()
    def seed(self, cam: torch.Tensor) -> torch.Tensor:
        """Max-normalised, background-completed, per-pixel arg-max seed of the scores."""
        a = F.relu(cam)
        norm = F.relu(a - self.eps) / (a.amax(dim=(2, 3), keepdim=True) + self.eps)
        return _keep_max(_background_one_minus_max(norm))

    def forward(self, cam: torch.Tensor, image: torch.Tensor, low: torch.Tensor,
                high: torch.Tensor) -> torch.Tensor:
        """Refine ``cam`` (B, K, h, w) with the affinity of ``image`` (B, 3, H, W) and the
        backbone features ``low`` / ``high`` (B, C, h, w); returns (B, K, h, w)."""
        B, K, h, w = cam.shape
        f = torch.cat([
            _resize(image, (h, w)),
            F.relu(self.f8_3(low.detach())),
            F.relu(self.f8_4(high.detach()))
        ], dim=1)
        f = self.f9(f).flatten(2)
        f = f / (f.norm(dim=1, keepdim=True) + self.eps)
        aff = F.relu(torch.bmm(f.transpose(1, 2), f))
        aff = aff / (aff.sum(dim=1, keepdim=True) + self.eps)
        return torch.bmm(self.seed(cam).flatten(2), aff).view(B, K, h, w)


@MODELS.register_module()
class SEAM(CAMClassifier):
    """SEAM on the :class:`CAMClassifier` template, optionally with ISL / FSL.

    The head is a :class:`CAMHead` with ``num_classes + 1`` outputs and ``bg_channel=True``
    (SEAM's ``fc8``, 1x1 conv without bias after ``Dropout2d(0.5)``): channel 0 is SEAM's
    background channel, never supervised, overwritten wherever it is used. Training runs two
    siamese branches, the input ``x1`` and ``x2 = Down_{scale_factor}(x1)``; each gives the
    scores ``s`` and the PCM output ``s_rv`` (bilinear, ``align_corners=True``, upsampled to its
    input: ``ŝ``, ``ŝ_rv``). With ``ȳ = [1, y]`` and ``MMN`` the min-max normalisation,
    :meth:`forward_train` returns the maps ``branch1`` = ``s^1``, ``branch2`` = ``s^2`` and
    SEAM's losses:

    * ``loss_cls1`` / ``loss_cls2``: ``0.5 * BCE(GAP(ŝ^k)_{1:}, y)`` (the head's ``gap_loss``).
    * ``loss_min``: mean over both branches of the ReLU-mean of the ``HW * min_ratio`` smallest
      values of ``max_{c >= 1}(ŝ_rv · ȳ)`` (SEAM's adaptive min-pooling).
    * ``loss_er``: ``mean |r^1_{1:} - r^2_{1:}|``, ``r^1 = Down(MMN(ŝ^1)) ȳ``, ``r^2 = MMN(ŝ^2) ȳ``.
    * ``loss_ecr``: over both directions, the mean of the largest ``ecr_ratio`` fraction of
      ``|keepmax(bg1(r^j)).detach() - r_rv^i|`` (``r_rv`` as ``r`` from ``ŝ_rv``).

    HFPL attaches to branch 1 as ``arvijj/hfpl`` does, through the head (SEAM's model base
    config: ``loss_map='branch1'``, ``isl_replaces='loss_cls1'``, ``isl_weight=0.5``):

    * ``isl``: ``loss_cls1`` becomes ``loss_isl = 0.5 * BinomialISL(s^1_{1:}, y)``, i.e.
      ``0.5 ((1 - λ) GAP-BCE + λ ISL)`` (HFPL eq. 16) on the fc8 logits at feature resolution
      (the realised ISL weight is ``0.5 λ``, 0.1 for λ = 0.2). Its GAP term averages the
      feature-resolution map; the public code averages ``ŝ^1``, the bilinear upsampling,
      which weights border rows and columns about half.
    * ``fsl``: ``loss_fsl = MaskedFSL(s^1_{1:}, x1 in [0, 1], y)`` (HFPL eq. 9); the public
      code's gate (``MMN(s) ȳ`` with channel 0 = ``1 - max``) is the loss's ``norm='minmax'``,
      ``mask_absent=True``, ``background='one_minus_max'``.

    Inference (:meth:`predict`, :meth:`single_scale_cam`) uses the PCM output's foreground
    channels, ``s_rv[:, 1:]``, as SEAM's ``infer_SEAM.py`` does.

    Args:
        backbone (dict): Backbone returning (low, high, last) features, e.g.
            ``ResNet38d(out_indices=(3, 4, 6))`` (conv4, conv5, conv6).
        head (dict): :class:`CAMHead` config with ``num_classes`` = foreground classes + 1
            and ``bg_channel=True``.
        pcm (dict): :class:`PixelCorrelationModule` config.
        scale_factor (float): Down-scaling of the second branch. Defaults to 0.3.
        min_ratio (float): Fraction of pixels of the min-pooling loss. Defaults to 0.25.
        ecr_ratio (float): Fraction of entries of the ECR loss. Defaults to 0.2.
        **kwargs: :class:`CAMClassifier` arguments (``data_preprocessor``, ``cam_cfg``...).
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 pcm: dict = dict(type='PixelCorrelationModule'),
                 scale_factor: float = 0.3,
                 min_ratio: float = 0.25,
                 ecr_ratio: float = 0.2,
                 **kwargs) -> None:
        super().__init__(backbone=backbone, head=head, **kwargs)
        if not getattr(self.head, 'bg_channel', False) or self.head.num_classes < 2:
            raise ValueError('SEAM: the head needs bg_channel=True and num_classes = the '
                             'foreground classes + 1 (background channel 0), got '
                             f'num_classes={self.head.num_classes}')
        if not 0 < scale_factor < 1:
            raise ValueError(f'scale_factor must be in (0, 1), got {scale_factor}')
        self.pcm = MODELS.build(pcm)
        self.scale_factor = scale_factor
        self.min_ratio = min_ratio
        self.ecr_ratio = ecr_ratio

    @property
    def num_classes(self) -> int:
        """Foreground classes (the head has one more channel, SEAM's background)."""
        return self.head.num_labels

    def forward_seam(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """fc8 scores ``s`` and PCM output ``s_rv``, both (B, K + 1, h, w)."""
        feats = self.extract_feat(inputs)
        cam = self.head.forward_cam(feats)
        return cam, self.pcm(cam, inputs, feats[0], feats[1])

    def forward_train(self, inputs: torch.Tensor, data_samples: List[DataSample]
                      ) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """Both branches' fc8 scores (``branch1``, ``branch2``) and SEAM's losses; see the class
        docstring."""
        y = self.head.get_targets(data_samples).to(inputs.device)
        ybar = F.pad(y, (1, 0), value=1.)[..., None, None]
        x2 = F.interpolate(inputs, scale_factor=self.scale_factor, mode='bilinear',
                           align_corners=True)
        s1, rv1 = self.forward_seam(inputs)
        s2, rv2 = self.forward_seam(x2)
        cam1, cam_rv1 = _resize(s1, inputs.shape[-2:]), _resize(rv1, inputs.shape[-2:])
        cam2, cam_rv2 = _resize(s2, x2.shape[-2:]), _resize(rv2, x2.shape[-2:])

        losses = dict(loss_cls1=0.5 * self.head.gap_loss(cam1, y),
                      loss_cls2=0.5 * self.head.gap_loss(cam2, y))
        losses['loss_min'] = 0.5 * (self.min_pooling_loss((cam_rv1 * ybar)[:, 1:]) +
                                    self.min_pooling_loss((cam_rv2 * ybar)[:, 1:]))
        losses.update(self.equivariance_losses(cam1, cam_rv1, cam2, cam_rv2, ybar))
        return dict(branch1=s1, branch2=s2), losses

    def min_pooling_loss(self, cam_rv: torch.Tensor) -> torch.Tensor:
        """ReLU-mean of the ``min_ratio`` smallest per-pixel maxima of ``cam_rv`` (B, K, H, W)."""
        peak = cam_rv.amax(dim=1).flatten(1)
        k = max(1, int(peak.shape[1] * self.min_ratio))
        return F.relu(peak.topk(k, dim=1, largest=False).values).mean()

    def equivariance_losses(self, cam1: torch.Tensor, cam_rv1: torch.Tensor, cam2: torch.Tensor,
                            cam_rv2: torch.Tensor, ybar: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Equivariant regularisation (ER) and equivariant cross regularisation (ECR)."""
        size = cam2.shape[-2:]
        r1 = _resize(minmax_norm(cam1), size) * ybar
        r_rv1 = _resize(minmax_norm(cam_rv1), size) * ybar
        r2 = minmax_norm(cam2) * ybar
        r_rv2 = minmax_norm(cam_rv2) * ybar
        loss_er = (r1[:, 1:] - r2[:, 1:]).abs().mean()
        target1 = _keep_max(_background_one_minus_max(r1)).detach()
        target2 = _keep_max(_background_one_minus_max(r2)).detach()
        k = max(1, int(r2[0].numel() * self.ecr_ratio))

        def top_mean(t):
            return t.flatten(1).topk(k, dim=1).values.mean()

        loss_ecr = top_mean((target2 - r_rv1).abs()) + top_mean((target1 - r_rv2).abs())
        return dict(loss_er=loss_er, loss_ecr=loss_ecr)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        """Foreground scores (GAP of ``s``) and labels, and ``cam`` = ``s_rv[:, 1:]`` (K, h, w)
        at feature resolution (non-negative; the metrics max-normalise it)."""
        cam, cam_rv = self.forward_seam(inputs)
        return self.head.predict_by_cam(cam, data_samples, out_cam=cam_rv)

    def single_scale_cam(self, inputs: torch.Tensor) -> torch.Tensor:
        """SEAM's inference pass: ``s_rv[:, 1:]`` upsampled to the pass's input
        (``align_corners=True``); :meth:`multi_scale_cam` then resizes it to the image
        (``align_corners=False``) and sums the scales and flips. SEAM min-max normalises the
        sum; the metrics max-normalise it, which differs only when a class's minimum is above 0."""
        return _resize(self.forward_seam(inputs)[1][:, 1:], inputs.shape[-2:])
