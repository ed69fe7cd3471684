"""AffinityNet (Ahn & Kwak, CVPR 2018; ``jiwoon-ahn/psa``), as SEAM and MCTformer use it.

Features of three backbone levels (psa: ResNet-38 ``conv4`` / ``conv5`` / ``conv6`` at stride
8) are projected by 1x1 convolutions without bias (64 / 128 / 256 channels) with ELU, concatenated
and mixed by a 1x1 convolution (448 channels) with ELU. The affinity of two pixels within the
radius is ``a_ij = exp(-mean_k |f_ik - f_jk|)``.

Training (confident labels, :mod:`.affinity_labels`)::

    L = mean_bg_pos[-log(a + 1e-5)] / 4 + mean_fg_pos[-log(a + 1e-5)] / 4
        + mean_neg[-log(1 + 1e-5 - a)] / 2

Inference (:meth:`AffinityNet.predict`, psa's ``infer_aff``): the image padded to a multiple of
the stride, the affinities within the walk's radius, seeds ``[(1 - max cam)^alpha, cams]``
average-pooled to the grid, random walk, bilinear upsampling, argmax.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS

from .affinity_labels import Offset, affinity_labels, downsample_labels, radius_offsets, shift_pairs
from .random_walk import RandomWalk
from .walk_refiner import WalkRefiner

__all__ = ['feature_affinity', 'AffinityNet']


def feature_affinity(feats: torch.Tensor, offsets: Sequence[Offset]) -> torch.Tensor:
    """Pairwise affinities ``exp(-mean_k |f_k(p) - f_k(p + d)|)`` of features (B, C, h, w).

    Returns (B, D, h, w); pairs leaving the map get 0.
    """
    h, w = feats.shape[-2:]
    inside = shift_pairs(feats.new_ones(h, w), offsets, fill=0.)
    partners = shift_pairs(feats, offsets, fill=0.)  # (B, C, D, h, w)
    return torch.exp(-(feats.unsqueeze(2) - partners).abs().mean(dim=1)) * inside


@MODELS.register_module()
class AffinityNet(WalkRefiner):
    """Pixel affinities from multi-level features, for the random walk of CAM seeds.

    Args:
        backbone (dict): A backbone with multi-level outputs (psa: ResNet-38, output stride 8).
        in_channels (Sequence[int]): Channels of the levels used (``in_index``).
        in_index (Sequence[int]): Backbone outputs used, resized to the first one's grid.
            Defaults to (0, 1, 2).
        feat_channels (Sequence[int]): Projection widths, one per level. Defaults to
            (64, 128, 256) (psa).
        out_channels (int): Width of the affinity features. Defaults to 448 (psa).
        train_radius (int): Pair radius of the loss. Defaults to 5 (psa).
        label_downsample (str): Confident labels to the grid, see :func:`downsample_labels`.
            Defaults to 'majority' (psa pools its CRF scores, then takes the argmax).
        walk (dict): :class:`RandomWalk` arguments. Defaults to psa / SEAM's:
            ``beta=8, logt=6, radius=5, bg='power', bg_alpha=6``.
        size_divisor (int): Test images are padded to a multiple of this. Defaults to 8.
        data_preprocessor (dict, optional): E.g. ``SegDataPreProcessor``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 in_channels: Sequence[int] = (512, 1024, 4096),
                 in_index: Sequence[int] = (0, 1, 2),
                 feat_channels: Sequence[int] = (64, 128, 256),
                 out_channels: int = 448,
                 train_radius: int = 5,
                 label_downsample: str = 'majority',
                 walk: Optional[dict] = None,
                 size_divisor: int = 8,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not len(in_channels) == len(in_index) == len(feat_channels):
            raise ValueError('in_channels, in_index and feat_channels need one entry per level, '
                             f'got {in_channels}, {in_index}, {feat_channels}')
        self.backbone = MODELS.build(backbone)
        self.in_index = tuple(in_index)
        self.projections = nn.ModuleList(
            nn.Conv2d(cin, cout, 1, bias=False) for cin, cout in zip(in_channels, feat_channels))
        self.fuse = nn.Conv2d(sum(feat_channels), out_channels, 1, bias=False)
        self.train_radius = train_radius
        self.label_downsample = label_downsample
        self.walk = RandomWalk(**(walk or dict(beta=8, logt=6, radius=5, bg='power',
                                               bg_alpha=6)))
        self.size_divisor = size_divisor
        for conv in self.projections:
            nn.init.kaiming_normal_(conv.weight)
        nn.init.xavier_uniform_(self.fuse.weight, gain=4)

    def _forward(self, inputs: torch.Tensor, data_samples: Optional[List] = None) -> torch.Tensor:
        """Affinity features (B, out_channels, h, w) on the first used level's grid."""
        feats = self.backbone(inputs)
        feats = [feats[i] for i in self.in_index]
        size = feats[0].shape[-2:]
        projected = [
            F.elu(F.interpolate(conv(x), size=size, mode='bilinear', align_corners=False)
                  if x.shape[-2:] != size else conv(x))
            for conv, x in zip(self.projections, feats)
        ]
        return F.elu(self.fuse(torch.cat(projected, dim=1)))

    def loss(self, inputs: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        """psa's affinity loss against the samples' confident labels."""
        feats = self._forward(inputs)
        labels = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
        labels = downsample_labels(labels, feats.shape[-2:], self.label_downsample)
        pairs = affinity_labels(labels, self.train_radius)
        aff = feature_affinity(feats, radius_offsets(self.train_radius))

        def mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            return (values * mask).sum() / (mask.sum() + 1e-5)

        pos = -torch.log(aff + 1e-5)
        return dict(loss_aff_bg=mean(pos, pairs.bg_pos) / 4,
                    loss_aff_fg=mean(pos, pairs.fg_pos) / 4,
                    loss_aff_neg=mean(-torch.log(1. + 1e-5 - aff), pairs.neg) / 2)

    def grid_maps(self, inputs: torch.Tensor) -> torch.Tensor:
        """Affinity features of the padded inputs."""
        return self._forward(inputs)

    def walk_affinity(self, grid: torch.Tensor) -> Tuple[torch.Tensor, None]:
        """psa: affinities of the features, no seed weight."""
        return feature_affinity(grid[None], self.walk.offsets)[0], None
