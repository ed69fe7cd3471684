"""ScaleNet: scale aggregation blocks with data-driven neuron allocation (Li et al., CVPR 2019),
as PMM's stage-B ("multi-crop") backbone.

Paper: `Data-Driven Neuron Allocation for Scale Aggregation Networks
<https://arxiv.org/abs/1904.09460>`_. Reference semantics: https://github.com/Eli-YiLi/PMM
(``network/scalenet.py``, ``network/scalenet_SEAM.py``), the ImageNet model of
https://github.com/Eli-YiLi/ScaleNet. Module names follow the public code, so its ImageNet
state dict loads by name after ``tools/model_converters/scalenet.py``.
"""
import json
import os.path as osp
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS
from mmseg.registry import MODELS as SEG_MODELS
from torch.nn.modules.batchnorm import _BatchNorm

__all__ = ['SABlock', 'ScaleNet', 'scalenet_structure']

#: blocks per stage
ARCH = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
#: feature side of each stage in the ImageNet model (224 input): it decides, as in the public
#: structures, which branches are 1x1 (side / 2^i <= 1)
IMAGENET_SIDES = (56, 28, 14, 7)


def scalenet_structure(depth: int = 101, base_channels: int = 64) -> List[List[int]]:
    """An even allocation (each of the 4 branches a quarter of the block's width) in the public
    structure format: per block ``[c_1, c_2, c_4, c_7, side]``. The searched allocations of
    the ImageNet models come with their checkpoint (``tools/model_converters/scalenet.py``)."""
    out = []
    for stage, blocks in enumerate(ARCH[depth]):
        planes = base_channels * 2**stage
        out += [[planes // 4] * 4 + [IMAGENET_SIDES[stage]] for _ in range(blocks)]
    return out


class SABlock(BaseModule):
    """Scale aggregation bottleneck: max-pool stride, ``conv1`` 1x1, four branches (identity,
    max-pool 2 / 4 / 7, each a 3x3 conv (1x1 where the ImageNet feature is too small) upsampled
    back, nearest for integer factors else bilinear, and BN; a branch with 0 channels is
    absent), ReLU of their concatenation, ``conv3`` 1x1 + BN, residual, ReLU."""
    expansion = 4
    pool_sizes = (None, 2, 4, 7)

    def __init__(self, in_channels: int, planes: int, structure: Sequence[int], stride: int = 1,
                 downsample: bool = False, dilation: int = 1,
                 norm_cfg: dict = dict(type='BN')) -> None:
        super().__init__()
        channels, side = list(structure[:-1]), structure[-1]
        if len(channels) != len(self.pool_sizes) or sum(channels) < 1:
            raise ValueError(f'SABlock: a structure entry is [c_1, c_2, c_4, c_7, side] with '
                             f'some channels, got {list(structure)}')
        self.stride = stride
        out_channels = planes * self.expansion
        self.downsample = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, bias=False),
            build_norm_layer(norm_cfg, out_channels)[1]) if downsample else None
        self.conv1 = nn.Conv2d(in_channels, planes, 1, bias=False)
        self.bn1 = build_norm_layer(norm_cfg, planes)[1]
        self.conv2 = nn.ModuleList()
        self.bn2 = nn.ModuleList()
        for i, c in enumerate(channels):
            big = side / 2**i > 1
            self.conv2.append(
                nn.Conv2d(planes, c, 3 if big else 1, padding=dilation if big else 0,
                          dilation=dilation if big else 1, bias=False) if c > 0 else None)
            self.bn2.append(build_norm_layer(norm_cfg, c)[1] if c > 0 else None)
        self.conv3 = nn.Conv2d(sum(channels), out_channels, 1, bias=False)
        self.bn3 = build_norm_layer(norm_cfg, out_channels)[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride > 1:
            x = F.max_pool2d(x, self.stride, self.stride)
        residual = x if self.downsample is None else self.downsample(x)
        out1 = F.relu(self.bn1(self.conv1(x)))
        size = out1.shape[-2:]
        branches = []
        for pool, conv, bn in zip(self.pool_sizes, self.conv2, self.bn2):
            if conv is None:
                continue
            out = out1
            if pool is not None:
                if out.shape[3] < pool or out.shape[2] < pool:
                    out = F.max_pool2d(out, (out.shape[2], out.shape[3]))
                else:
                    out = F.max_pool2d(out, pool, pool)
            out = conv(out)
            if pool is not None:
                integer = size[0] % out.shape[2] == 0 and size[1] % out.shape[3] == 0
                out = F.interpolate(out, size=tuple(size),
                                    mode='nearest' if integer else 'bilinear')
            branches.append(bn(out))
        out = self.bn3(self.conv3(F.relu(torch.cat(branches, 1))))
        return F.relu(out + residual)


@MODELS.register_module()
@SEG_MODELS.register_module()
class ScaleNet(BaseBackbone):
    """ScaleNet-50 / 101 / 152 as PMM's SEAM network uses it: stem ``conv1`` 7x7 stride 2 +
    BN-ReLU + 3x3 max-pool stride 2, ``layer1 .. layer4`` of :class:`SABlock` (widths
    ``c, 2c, 4c, 8c`` times 4) with strides (1, 2, 1, 1), i.e. output stride 8 (PMM's stage B:
    448 -> 56), dilations (1, 1, 1, 1) (PMM's ``--dilations 1_1_1_1``). PMM's PCM reads
    ``layer2`` / ``layer3`` and fc8 ``layer4``: ``out_indices=(1, 2, 3)``.

    PMM fine-tunes with every batch norm frozen and ``conv1``, ``bn1``, ``layer1`` frozen
    (``norm_eval=True``, BN ``requires_grad=False``, ``frozen_stages=1``).

    Args:
        depth (int): 50, 101 or 152. Defaults to 101.
        structure (str | list, optional): Channels of each block's branches,
            ``[c_1, c_2, c_4, c_7, side]`` per block (the public JSON format), or a JSON file of
            it (written by ``tools/model_converters/scalenet.py`` from the ImageNet checkpoint).
            Defaults to None: :func:`scalenet_structure` (even allocation).
        base_channels (int): Width ``c`` (64 for ImageNet). Defaults to 64.
        strides (Sequence[int]): Stride of each stage. Defaults to (1, 2, 1, 1).
        dilations (Sequence[int]): Dilation of each stage's 3x3 convs. Defaults to (1, 1, 1, 1).
        out_indices (Sequence[int]): Stages returned. Defaults to (1, 2, 3).
        frozen_stages (int): Freeze the stem (>= 0) and ``layer1 .. layer<frozen_stages>``.
            Defaults to -1.
        norm_cfg (dict): Normalisation config. Defaults to ``dict(type='BN')``.
        norm_eval (bool): Batch norms in eval mode while training. Defaults to False.
        init_cfg (dict | list, optional): Defaults to Kaiming convs and unit BN.

    Example:
        >>> net = ScaleNet(depth=50, base_channels=8)
        >>> [tuple(f.shape) for f in net(torch.rand(1, 3, 64, 64))]
        [(1, 64, 8, 8), (1, 128, 8, 8), (1, 256, 8, 8)]
    """

    def __init__(self,
                 depth: int = 101,
                 structure: Optional[Union[str, list]] = None,
                 base_channels: int = 64,
                 strides: Sequence[int] = (1, 2, 1, 1),
                 dilations: Sequence[int] = (1, 1, 1, 1),
                 out_indices: Sequence[int] = (1, 2, 3),
                 frozen_stages: int = -1,
                 norm_cfg: dict = dict(type='BN'),
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, list]] = [
                     dict(type='Kaiming', layer=['Conv2d']),
                     dict(type='Constant', val=1, layer=['_BatchNorm'])
                 ]) -> None:
        super().__init__(init_cfg)
        if depth not in ARCH:
            raise ValueError(f'ScaleNet: depth must be one of {sorted(ARCH)}, got {depth}')
        if isinstance(structure, str):
            if not osp.isfile(structure):
                raise FileNotFoundError(f'ScaleNet: structure file not found: {structure} '
                                        '(tools/model_converters/scalenet.py writes it next to '
                                        'the converted ImageNet weights)')
            with open(structure) as f:
                structure = json.load(f)
        structure = structure or scalenet_structure(depth, base_channels)
        if len(structure) != sum(ARCH[depth]):
            raise ValueError(f'ScaleNet-{depth}: the structure has {len(structure)} blocks, '
                             f'expected {sum(ARCH[depth])}')
        out_indices = tuple(out_indices)
        if not out_indices or any(not 0 <= i < 4 for i in out_indices):
            raise ValueError(f'ScaleNet: out_indices must be in [0, 4), got {out_indices}')
        self.out_indices = out_indices
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.conv1 = nn.Conv2d(3, base_channels, 7, stride=2, padding=3, bias=False)
        self.bn1 = build_norm_layer(norm_cfg, base_channels)[1]
        in_channels, block = base_channels, 0
        for stage, blocks in enumerate(ARCH[depth]):
            planes = base_channels * 2**stage
            layers = []
            for i in range(blocks):
                stride = strides[stage] if i == 0 else 1
                downsample = i == 0 and (stride != 1 or in_channels != planes * 4)
                layers.append(SABlock(in_channels, planes, structure[block], stride, downsample,
                                      dilations[stage], norm_cfg))
                in_channels, block = planes * 4, block + 1
            self.add_module(f'layer{stage + 1}', nn.Sequential(*layers))
        self.out_channels = tuple(base_channels * 2**s * 4 for s in range(4))
        self._freeze_stages()

    def forward(self, x: torch.Tensor):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        outs = []
        for i in range(4):
            x = getattr(self, f'layer{i + 1}')(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def _freeze_stages(self) -> None:
        if self.frozen_stages < 0:
            return
        modules = [self.conv1, self.bn1] + [getattr(self, f'layer{i}')
                                             for i in range(1, self.frozen_stages + 1)]
        for m in modules:
            m.eval()
            for p in m.parameters():
                p.requires_grad = False

    def train(self, mode: bool = True):
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
