"""Spatial-BCE's head: temperature-scaled class maps and a threshold map.

Reference semantics: https://github.com/allenwu97/Spatial-BCE (``models/resnet38.py::ResNet38``).
"""
import math
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .cam_head import CAMHead

__all__ = ['SpatialBCEHead']


@MODELS.register_module()
class SpatialBCEHead(CAMHead):
    """:class:`CAMHead` whose score map is Spatial-BCE's: ``ReLU(x)`` -> 1x1 conv
    ``in_channels -> mid_channels`` (``reduce``) -> one 1x1 ``mid_channels -> 1`` conv per class
    (the rows of ``classifier``; no biases) -> times a per-class temperature ``e^theta``
    (``theta`` initialised to ``log(temperature)``). A second 1x1 conv ``in_channels ->
    num_classes`` (``threshold``) gives the threshold map of the learned thresholds.

    :meth:`forward_cam` returns the temperature-scaled logits ``s`` (the tensor the losses,
    ISL and FSL use), :meth:`score_map` the temperature-free ones (CAM inference). There is
    no GAP-BCE to replace, so ``isl_replaces`` defaults to None (ISL is added).

    Initialisation as the public code: Xavier-uniform ``reduce`` and ``threshold``, each class
    row of ``classifier`` Xavier-uniform as a ``mid_channels -> 1`` conv of its own.

    Args:
        num_classes (int): Foreground classes.
        in_channels (int): Channels of the backbone's last feature map (4096: ``conv6``).
        mid_channels (int): Channels of ``reduce``. Defaults to 128.
        temperature (float): Initial temperature ``e^theta``. Defaults to 10.
        isl_replaces (str, optional): See :class:`CAMHead`. Defaults to None (added).
        **kwargs: Other :class:`CAMHead` arguments (``isl``, ``fsl``, ``isl_weight``...).
    """

    def __init__(self, num_classes: int, in_channels: int, mid_channels: int = 128,
                 temperature: float = 10., isl_replaces=None, **kwargs) -> None:
        kwargs.setdefault('init_cfg', None)
        super().__init__(num_classes=num_classes, in_channels=mid_channels, bias=False,
                         isl_replaces=isl_replaces, **kwargs)
        if not temperature > 0:
            raise ValueError(f'SpatialBCEHead: temperature must be positive, got {temperature}')
        self.reduce = nn.Conv2d(in_channels, mid_channels, 1, bias=False)
        self.threshold = nn.Conv2d(in_channels, num_classes, 1, bias=False)
        self.temperature = nn.Parameter(torch.full((num_classes, ), math.log(temperature)))

    def init_weights(self) -> None:
        if self.init_cfg is not None:
            return super().init_weights()
        nn.init.xavier_uniform_(self.reduce.weight)
        nn.init.xavier_uniform_(self.threshold.weight)
        weight = self.classifier.weight  # (C, mid, 1, 1): C convs mid -> 1
        for c in range(weight.shape[0]):
            nn.init.xavier_uniform_(weight[c:c + 1])

    def score_map(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Temperature-free class maps (B, num_classes, h, w)."""
        return self.classifier(self.reduce(F.relu(self.pre_logits(feats))))

    def forward_cam(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Temperature-scaled logits ``s`` (B, num_classes, h, w)."""
        return self.score_map(feats) * self.temperature.exp()[None, :, None, None]

    def forward_threshold(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Threshold logits (B, num_classes, h, w) of the learned thresholds."""
        return self.threshold(F.relu(self.pre_logits(feats)))
