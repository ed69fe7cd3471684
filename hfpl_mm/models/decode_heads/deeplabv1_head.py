"""DeepLab-v1 (LargeFOV-style) head of seamv1, the final segmentor of SEAM / SIPE / Spatial-BCE
("Res38" rows of the HFPL paper)."""
from typing import Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS

__all__ = ['DeepLabV1Head']


@MODELS.register_module()
class DeepLabV1Head(BaseDecodeHead):
    """A 3x3 dilated conv and a 1x1 conv, each with BN and ReLU, then dropout and a 1x1
    classifier with bias.

    Follows ``deeplabv1`` of YudeWang/semantic-segmentation-codebase (``lib/net/deeplabv1.py``,
    experiment ``seamv1-pseudovoc``): ``conv_fov`` 3x3 dilation 12, 4096 -> 512, no bias, BN
    (momentum 3e-4), ReLU; ``conv_fov2`` 1x1 512 -> 512, BN, ReLU; element-wise ``Dropout(0.5)``
    (not ``Dropout2d``); ``cls_conv`` 1x1 512 -> classes with bias. The public code keeps the
    head's BN affine parameters out of the optimiser (only conv weights / biases are grouped),
    which ``norm_cfg=dict(type='BN', momentum=3e-4, requires_grad=False)`` reproduces, and
    initialises every head conv Kaiming-normal (fan-out, ReLU).

    Paper: `Semantic Image Segmentation with Deep Convolutional Nets and Fully Connected CRFs
    <https://arxiv.org/abs/1412.7062>`_ (DeepLab-v1, the LargeFOV dilated fc6).

    Args:
        dilation (int): Dilation (and padding) of the 3x3 conv. Defaults to 12.
        dropout_ratio (float): Element-wise dropout before the classifier. Defaults to 0.5.
        **kwargs: :class:`BaseDecodeHead` arguments (``in_channels``, ``channels``,
            ``num_classes``, ``norm_cfg``, ``align_corners``, ``loss_decode``, ...).

    Examples:
        >>> import torch
        >>> from hfpl_mm.models.decode_heads import DeepLabV1Head
        >>> head = DeepLabV1Head(in_channels=16, channels=8, num_classes=21,
        ...                      norm_cfg=dict(type='BN'))
        >>> head((torch.rand(2, 16, 9, 9), )).shape
        torch.Size([2, 21, 9, 9])
    """

    def __init__(self,
                 dilation: int = 12,
                 dropout_ratio: float = 0.5,
                 init_cfg=dict(type='Kaiming', mode='fan_out', nonlinearity='relu', bias=0,
                               override=dict(name='conv_seg')),
                 **kwargs) -> None:
        if kwargs.get('input_transform') == 'multiple_select':
            raise ValueError("DeepLabV1Head needs one feature map; input_transform "
                             "'multiple_select' gives several")
        super().__init__(dropout_ratio=dropout_ratio, init_cfg=init_cfg, **kwargs)
        self.dilation = dilation
        # seamv1's dropout1 is nn.Dropout (element-wise), not BaseDecodeHead's Dropout2d
        self.dropout = nn.Dropout(dropout_ratio) if dropout_ratio > 0 else None
        common = dict(conv_cfg=self.conv_cfg, norm_cfg=self.norm_cfg, act_cfg=self.act_cfg)
        self.convs = nn.Sequential(
            ConvModule(self.in_channels, self.channels, 3, padding=dilation, dilation=dilation,
                       **common),
            ConvModule(self.channels, self.channels, 1, **common))

    def forward(self, inputs: Tuple[torch.Tensor]) -> torch.Tensor:
        """Class scores (B, num_classes, H, W) at the resolution of the selected feature map."""
        return self.cls_seg(self.convs(self._transform_inputs(inputs)))
