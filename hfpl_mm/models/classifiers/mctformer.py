"""MCTformer-V2: multi-class token transformer with a patch CAM head (Xu et al., CVPR 2022).

Paper: `Multi-class Token Transformer for Weakly Supervised Semantic Segmentation
<https://arxiv.org/abs/2203.02891>`_. Reference semantics: https://github.com/xulianuwa/MCTformer
at commit 9606597 (V2; its HEAD is MCTformer+): ``models.py`` (``MCTformerV2.forward``),
``engine.py`` (``train_one_epoch``, ``generate_attention_maps_ms``).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from .cam_classifier import CAMClassifier

__all__ = ['MCTformerV2', 'fuse_attention_cams']

_ATTENTION_TYPES = ('fused', 'patchcam', 'mct')


def fuse_attention_cams(patch_cam: torch.Tensor, attns: Sequence[torch.Tensor],
                        attention_type: str = 'fused', cls_layers: int = 3,
                        patch_refine: bool = True) -> torch.Tensor:
    """MCTformer-V2's class maps (B, K, h, w) from the patch CAM and the attention of a pass.

    ``A`` = every block's attention averaged over heads; ``mct`` = class -> patch attention of
    the last ``cls_layers`` blocks summed; ``fused`` = ``mct * ReLU(patch_cam)`` (``'patchcam'``:
    ``ReLU(patch_cam)``, ``'mct'``: ``mct``). With ``patch_refine`` each class map is then
    propagated by the patch -> patch attention summed over all blocks (``cam <- A_pp cam``).

    Args:
        patch_cam (Tensor): Patch CAM logits ``s`` (B, K, h, w), K = the class tokens.
        attns (Sequence[Tensor]): Softmax attention of each block (B, heads, N, N), the
            K class tokens first (:class:`MCTViT` ``forward(x, with_attn=True)``).
        attention_type (str): 'fused' (MCTformer-V2's), 'patchcam' or 'mct'.
        cls_layers (int): Last blocks whose class -> patch attention is summed (3).
        patch_refine (bool): Patch -> patch attention refinement. Defaults to True.
    """
    if attention_type not in _ATTENTION_TYPES:
        raise ValueError(f'attention_type must be one of {_ATTENTION_TYPES}, got '
                         f'{attention_type!r}')
    B, K, h, w = patch_cam.shape
    attn = torch.stack(list(attns)).float().mean(dim=2)  # (L, B, N, N)
    if attn.shape[-1] != K + h * w:
        raise ValueError(f'attention over {attn.shape[-1]} tokens does not match {K} class '
                         f'tokens + a {h}x{w} patch CAM')
    if not 1 <= cls_layers <= attn.shape[0]:
        raise ValueError(f'cls_layers must be in [1, {attn.shape[0]}], got {cls_layers}')
    cam = F.relu(patch_cam.detach().float())
    mct = attn[-cls_layers:].sum(0)[:, :K, K:].reshape(B, K, h, w)
    cam = {'fused': mct * cam, 'patchcam': cam, 'mct': mct}[attention_type]
    if patch_refine:
        cam = torch.bmm(cam.flatten(2), attn[:, :, K:, K:].sum(0).transpose(1, 2))
    return cam.reshape(B, K, h, w)


def minmax_per_class(cam: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """``(c - min c) / (max c - min c + eps)`` per image and class, as MCTformer normalises."""
    low = cam.amin(dim=(-2, -1), keepdim=True)
    return (cam - low) / (cam.amax(dim=(-2, -1), keepdim=True) - low + eps)


@MODELS.register_module()
class MCTformerV2(CAMClassifier):
    """MCTformer-V2 on the :class:`CAMClassifier` template, optionally with ISL / FSL.

    The backbone is an :class:`MCTViT` (one class token per class), the head a
    :class:`CAMHead` with a 3x3 conv with bias on the patch tokens (``kernel_size=3``,
    ``bias=True``). :meth:`forward_train` returns the map ``patch`` = the patch CAM ``s``
    (B, K, h, w) and MCTformer's losses (``engine.py`` ``train_one_epoch``):

    * ``loss_cls``: MLSM of the class-token scores, each class token averaged over its
      embedding dimensions (no final LayerNorm);
    * ``loss_patch``: MLSM of ``GAP(s)`` (the head's ``gap_loss``).

    HFPL attaches to ``patch`` (model base: ``loss_map='patch'``, ``isl_replaces='loss_patch'``):
    see ``configs/mctformer/README.md`` for the weights.

    CAMs (:meth:`single_scale_cam`, :meth:`predict`) are :func:`fuse_attention_cams` of a pass;
    :meth:`multi_scale_cam` sums the passes of ``cam_cfg`` at the input size (bilinear) and
    min-max normalises each class, as ``generate_attention_maps_ms`` (``--scales 1.0`` with its
    flip). Validation's ``cam`` (:meth:`predict`) is min-max normalised at token resolution.
    The image scores (``pred_score``) are the head's, ``GAP(s)``.

    Args:
        backbone (dict): :class:`MCTViT` config, ``num_class_tokens`` = the head's classes.
        head (dict): :class:`CAMHead` config.
        attention_type (str): See :func:`fuse_attention_cams`. Defaults to 'fused'.
        cls_layers (int): Defaults to 3 (MCTformer's ``--layer-index 3``).
        patch_refine (bool): Defaults to True (``--patch-attn-refine``).
        **kwargs: :class:`CAMClassifier` arguments (``data_preprocessor``, ``cam_cfg``...).
    """

    def __init__(self, backbone: dict, head: dict, attention_type: str = 'fused',
                 cls_layers: int = 3, patch_refine: bool = True, **kwargs) -> None:
        super().__init__(backbone=backbone, head=head, **kwargs)
        tokens = getattr(self.backbone, 'num_class_tokens', None)
        if tokens != self.head.num_classes or self.head.bg_channel:
            raise ValueError(f'MCTformerV2: the backbone needs one class token per head class '
                             f'and the head no background channel; got {tokens} class tokens, '
                             f'head num_classes={self.head.num_classes}, bg_channel='
                             f'{self.head.bg_channel}')
        if attention_type not in _ATTENTION_TYPES:
            raise ValueError(f'attention_type must be one of {_ATTENTION_TYPES}, got '
                             f'{attention_type!r}')
        if not 1 <= cls_layers <= self.backbone.num_layers:
            raise ValueError(f'cls_layers must be in [1, {self.backbone.num_layers}], got '
                             f'{cls_layers}')
        self.attention_type = attention_type
        self.cls_layers = cls_layers
        self.patch_refine = patch_refine

    def forward_train(self, inputs: torch.Tensor, data_samples: List[DataSample]
                      ) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """The patch CAM ``patch`` and ``loss_cls`` (class tokens) / ``loss_patch`` (GAP)."""
        class_tokens, patch_map = self.backbone(inputs)
        cam = self.head.forward_cam((patch_map, ))
        y = self.head.get_targets(data_samples).to(cam.device)
        token_scores = class_tokens.mean(dim=-1)
        losses = dict(
            loss_cls=self.head.loss_module(token_scores, y, avg_factor=token_scores.numel()),
            loss_patch=self.head.gap_loss(cam, y))
        return dict(patch=cam), losses

    def forward_cams(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Patch CAM ``s`` and the fused class maps of one pass, both (B, K, h, w)."""
        _, patch_map, attns = self.backbone(inputs, with_attn=True)
        cam = self.head.forward_cam((patch_map, ))
        return cam, fuse_attention_cams(cam, attns, self.attention_type, self.cls_layers,
                                        self.patch_refine)

    def single_scale_cam(self, inputs: torch.Tensor) -> torch.Tensor:
        """The fused class maps of one pass (B, K, h, w), at token resolution."""
        return self.forward_cams(inputs)[1]

    def multi_scale_cam(self, inputs: torch.Tensor) -> torch.Tensor:
        """Sum of the passes at the input size, min-max normalised per class."""
        return minmax_per_class(super().multi_scale_cam(inputs))

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        """Scores and labels of ``GAP(s)``; ``cam`` = the min-max normalised fused maps."""
        cam, fused = self.forward_cams(inputs)
        return self.head.predict_by_cam(cam, data_samples, out_cam=minmax_per_class(fused))
