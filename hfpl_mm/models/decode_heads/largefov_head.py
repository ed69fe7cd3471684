"""DeepLab-LargeFOV head of MCTformer's final segmentor (``seg/network/resnet38_seg.py`` of
https://github.com/xulianuwa/MCTformer at commit 9606597)."""
from typing import Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS

__all__ = ['LargeFOVHead']


@MODELS.register_module()
class LargeFOVHead(BaseDecodeHead):
    """Two 3x3 dilated convs with bias: ``in_channels -> channels``, ReLU, ``-> num_classes``.

    MCTformer's ``fc8_seg_conv1`` (4096 -> 512, dilation 12, ReLU) and ``fc8_seg_conv2``
    (512 -> 21, dilation 12), both Xavier-uniform, no normalisation and no dropout. The
    classifier is :class:`BaseDecodeHead`'s ``conv_seg`` made a dilated 3x3 conv, so mmseg's
    ``cls_seg`` and the ``decode_head.conv_seg`` parameter names (lr multipliers) still apply.
    Unlike seamv1's :class:`DeepLabV1Head` it has no 1x1 conv, no BN and no dropout.

    Paper: `Semantic Image Segmentation with Deep Convolutional Nets and Fully Connected CRFs
    <https://arxiv.org/abs/1412.7062>`_ (DeepLab-LargeFOV).

    Args:
        dilation (int): Dilation (and padding) of both convs. Defaults to 12.
        **kwargs: :class:`BaseDecodeHead` arguments (``in_channels``, ``channels``,
            ``num_classes``, ``align_corners``, ``loss_decode``...); ``norm_cfg`` must be None.
    """

    def __init__(self,
                 dilation: int = 12,
                 dropout_ratio: float = 0.,
                 init_cfg=dict(type='Xavier', layer='Conv2d', distribution='uniform', bias=0),
                 **kwargs) -> None:
        if kwargs.get('norm_cfg') is not None:
            raise ValueError('LargeFOVHead: MCTformer\'s head has no normalisation; set '
                             'norm_cfg=None')
        super().__init__(dropout_ratio=dropout_ratio, init_cfg=init_cfg, **kwargs)
        self.dilation = dilation
        self.conv_fov = ConvModule(self.in_channels, self.channels, 3, padding=dilation,
                                   dilation=dilation, bias=True, conv_cfg=self.conv_cfg,
                                   norm_cfg=None, act_cfg=self.act_cfg)
        self.conv_seg = nn.Conv2d(self.channels, self.out_channels, 3, padding=dilation,
                                  dilation=dilation)

    def forward(self, inputs: Tuple[torch.Tensor]) -> torch.Tensor:
        """Class scores (B, num_classes, H, W) at the resolution of the selected feature map."""
        return self.cls_seg(self.conv_fov(self._transform_inputs(inputs)))
