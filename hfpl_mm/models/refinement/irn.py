"""IRN: inter-pixel relation network (Ahn et al., CVPR 2019; ``jiwoon-ahn/irn``).

Two branches on a frozen multi-level backbone (IRN: ImageNet ResNet-50, output stride 16):

* class boundaries ``B`` on the stride-4 grid; the affinity of a pair is
  ``1 - max B`` along the straight path between the two pixels (:func:`edge_to_affinity`);
* a displacement field ``D`` (2 channels) pointing to instance centroids, so that
  ``D(p) - D(p + d) = d`` for pixels of the same object.

Training (confident labels, :mod:`.affinity_labels`, pairs within ``train_radius``)::

    L = (L_bg_pos + L_fg_pos) / 4 + L_neg / 2 + (L_dp_fg + L_dp_bg) / 2

Semantic refinement (:meth:`IRN.predict`): boundaries of the image and its mirror, pairs within
the walk's radius, seeds ``cam * (1 - B)`` on the stride-4 grid, random walk, upsampling,
normalisation by the global maximum and a constant background score (IRN's
``make_sem_seg_labels``). Instance outputs of the displacement field are not produced.

Deviation: mmpretrain's ResNet does not return its stem, so the branches use the four stage
outputs (IRN also taps the stem, with 32 / 64 more channels).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS

from .affinity_labels import (Offset, affinity_labels, downsample_labels, path_offsets,
                              radius_offsets, shift_pairs)
from .random_walk import RandomWalk
from .walk_refiner import WalkRefiner

__all__ = ['edge_to_affinity', 'IRN']


def edge_to_affinity(edge: torch.Tensor, offsets: Sequence[Offset]) -> torch.Tensor:
    """Pairwise affinities ``1 - max(edge on the path)`` of boundary maps (B, h, w) in [0, 1].

    The path of a pair is :func:`path_offsets`; cells outside the map count as boundary (1),
    so pairs leaving the map get affinity 0. Returns (B, D, h, w).
    """
    paths = [path_offsets(offset) for offset in offsets]
    cells = sorted({cell for path in paths for cell in path})
    position = {cell: i for i, cell in enumerate(cells)}
    shifted = shift_pairs(edge, cells, fill=1.)
    return torch.stack([
        1 - shifted[:, [position[cell] for cell in path]].amax(dim=1) for path in paths
    ], dim=1)


def _conv_gn(in_channels: int, out_channels: int, groups: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, bias=False),
                         nn.GroupNorm(groups, out_channels))


def _resize(x: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=size, mode='bilinear', align_corners=False)


class MeanShift(nn.BatchNorm2d):
    """IRN's centring of the displacement field: tracks the mean in training (identity
    output) and subtracts it at inference."""

    def __init__(self, num_features: int, momentum: float = 0.1) -> None:
        super().__init__(num_features, affine=False, momentum=momentum)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            super().forward(x)
            return x
        return x - self.running_mean.view(1, -1, 1, 1)


class BoundaryBranch(nn.Module):
    """Per level: 1x1 conv + GroupNorm, resized to the first level, ReLU; concatenated, a 1x1
    conv gives the boundary logits (B, 1, h, w) on the first level's grid."""

    def __init__(self, in_channels: Sequence[int], channels: int = 32, groups: int = 4) -> None:
        super().__init__()
        self.levels = nn.ModuleList(_conv_gn(c, channels, groups) for c in in_channels)
        self.fuse = nn.Conv2d(channels * len(in_channels), 1, 1, bias=True)

    def forward(self, feats: Sequence[torch.Tensor]) -> torch.Tensor:
        size = feats[0].shape[-2:]
        return self.fuse(torch.cat(
            [F.relu(_resize(layer(x), size)) for layer, x in zip(self.levels, feats)], dim=1))


class DisplacementBranch(nn.Module):
    """IRN's displacement decoder: the deeper levels fused on the second level's grid, upsampled
    and fused with the first level, then a 2-channel field with :class:`MeanShift`."""

    def __init__(self, in_channels: Sequence[int], low_channels: int = 128,
                 channels: int = 256) -> None:
        super().__init__()
        self.low = _conv_gn(in_channels[0], low_channels, 16)
        self.high = nn.ModuleList(_conv_gn(c, channels, 16) for c in in_channels[1:])
        self.high_fuse = _conv_gn(channels * len(self.high), channels, 16)
        self.out = nn.Sequential(
            _conv_gn(low_channels + channels, channels, 16), nn.ReLU(inplace=True),
            nn.Conv2d(channels, 2, 1, bias=False), MeanShift(2))

    def forward(self, feats: Sequence[torch.Tensor]) -> torch.Tensor:
        mid = feats[1].shape[-2:]
        high = torch.cat([F.relu(_resize(layer(x), mid)) for layer, x in
                          zip(self.high, feats[1:])], dim=1)
        high = F.relu(_resize(self.high_fuse(high), feats[0].shape[-2:]))
        return self.out(torch.cat([F.relu(self.low(feats[0])), high], dim=1))


@MODELS.register_module()
class IRN(WalkRefiner):
    """Boundary + displacement branches on a backbone; random walk on the boundary affinities.

    Args:
        backbone (dict): A backbone returning at least two levels, the first at the grid of
            the boundary map (IRN: ``mmpretrain.ResNet`` depth 50, ``out_indices=(0, 1, 2, 3)``,
            strides 4 / 8 / 16 / 16). Freeze it (``frozen_stages``, ``norm_eval``) as IRN does;
            its outputs are then detached.
        in_channels (Sequence[int]): Channels of the backbone levels.
        train_radius (int): Pair radius of the loss on the grid. Defaults to 10 (IRN).
        label_downsample (str): Confident labels to the grid, see :func:`downsample_labels`.
            Defaults to 'nearest' (IRN).
        walk (dict): :class:`RandomWalk` arguments of the semantic refinement. Defaults to IRN's:
            ``beta=10, logt=8, radius=5, bg='threshold', bg_thr=0.25``.
        flip (bool): Average the boundary logits of the image and its mirror. Defaults to True.
        mask_seeds (bool): Multiply the seeds by ``1 - boundary``. Defaults to True.
        size_divisor (int): Test images are padded to a multiple of this (the backbone's total
            stride). Defaults to 16.
        data_preprocessor (dict, optional): E.g. ``SegDataPreProcessor`` (normalises, pads the
            masks with 255 in training).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 in_channels: Sequence[int] = (256, 512, 1024, 2048),
                 train_radius: int = 10,
                 label_downsample: str = 'nearest',
                 walk: Optional[dict] = None,
                 flip: bool = True,
                 mask_seeds: bool = True,
                 size_divisor: int = 16,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if len(in_channels) < 2:
            raise ValueError(f'IRN needs at least two backbone levels, got {in_channels}')
        self.backbone = MODELS.build(backbone)
        self.edge_branch = BoundaryBranch(in_channels)
        self.dp_branch = DisplacementBranch(in_channels)
        self.train_radius = train_radius
        self.label_downsample = label_downsample
        self.walk = RandomWalk(**(walk or dict(beta=10, logt=8, radius=5, bg='threshold',
                                               bg_thr=0.25)))
        self.flip = flip
        self.mask_seeds = mask_seeds
        self.size_divisor = size_divisor

    def extract_feat(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Backbone levels, detached when the backbone is frozen (IRN trains the branches only)."""
        feats = tuple(self.backbone(inputs))
        if not any(p.requires_grad for p in self.backbone.parameters()):
            feats = tuple(f.detach() for f in feats)
        return feats

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List] = None) -> Tuple[torch.Tensor, torch.Tensor]:
        """Boundary logits (B, 1, h, w) and displacement field (B, 2, h, w) on the grid."""
        feats = self.extract_feat(inputs)
        return self.edge_branch(feats), self.dp_branch(feats)

    def loss(self, inputs: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        """IRN's affinity and displacement losses against the samples' confident labels."""
        edge_logits, dp = self._forward(inputs)
        labels = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
        labels = downsample_labels(labels, edge_logits.shape[-2:], self.label_downsample)
        offsets = radius_offsets(self.train_radius)
        pairs = affinity_labels(labels, self.train_radius)
        aff = edge_to_affinity(edge_logits[:, 0].sigmoid(), offsets)

        def mean(values: torch.Tensor, mask: torch.Tensor, scale: float = 1.) -> torch.Tensor:
            return (values * mask).sum() / (scale * mask.sum() + 1e-5)

        disp = dp.unsqueeze(2) - shift_pairs(dp, offsets, fill=0.)  # D(p) - D(p + d)
        target = torch.tensor(offsets, dtype=dp.dtype, device=dp.device).t()[..., None, None]
        bg_pos, fg_pos = pairs.bg_pos.unsqueeze(1), pairs.fg_pos.unsqueeze(1)
        return dict(
            loss_aff_bg=mean(-torch.log(aff + 1e-5), pairs.bg_pos) / 4,
            loss_aff_fg=mean(-torch.log(aff + 1e-5), pairs.fg_pos) / 4,
            loss_aff_neg=mean(-torch.log(1. + 1e-5 - aff), pairs.neg) / 2,
            loss_dp_fg=mean((disp - target).abs(), fg_pos, 2.) / 2,
            loss_dp_bg=mean(disp.abs(), bg_pos, 2.) / 2)

    @torch.no_grad()
    def boundaries(self, inputs: torch.Tensor) -> torch.Tensor:
        """Boundary probabilities (B, h, w) of padded inputs, averaged with the mirror."""
        if not self.flip:
            return self._forward(inputs)[0][:, 0].sigmoid()
        logits = self._forward(torch.cat([inputs, inputs.flip(-1)]))[0][:, 0]
        num = len(inputs)
        return (logits[:num] / 2 + logits[num:].flip(-1) / 2).sigmoid()

    def grid_maps(self, inputs: torch.Tensor) -> torch.Tensor:
        """Boundary probabilities of the padded inputs."""
        return self.boundaries(inputs)

    def walk_affinity(self, grid: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """IRN: affinities from the boundaries; seeds weighted by ``1 - boundary``."""
        return (edge_to_affinity(grid[None], self.walk.offsets)[0],
                1 - grid if self.mask_seeds else None)
