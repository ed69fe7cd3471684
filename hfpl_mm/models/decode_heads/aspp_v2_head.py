"""DeepLab-v2's ASPP classifier: parallel dilated 3x3 convolutions to class scores, summed."""
from typing import List, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import build_conv_layer
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import OptConfigType

__all__ = ['ASPPV2Module', 'DeepLabV2Head']


class ASPPV2Module(nn.ModuleList):
    """Atrous spatial pyramid pooling as in DeepLab-v2: one 3x3 convolution per dilation rate,
    each mapping the features straight to ``out_channels``, and the sum of their outputs.

    Unlike the ASPP of DeepLab-v3 (:class:`mmseg.models.decode_heads.aspp_head.ASPPModule`) the
    branches have no normalisation or activation and are not concatenated; each branch is a
    classifier with its own field of view and the branches vote by summation.

    Args:
        dilations (Sequence[int]): Dilation (and padding) of each branch.
        in_channels (int): Input channels.
        out_channels (int): Output channels (the class scores).
        conv_cfg (dict, optional): Config of the conv layers. Defaults to None (``nn.Conv2d``).
    """

    def __init__(self,
                 dilations: Sequence[int],
                 in_channels: int,
                 out_channels: int,
                 conv_cfg: OptConfigType = None) -> None:
        super().__init__()
        if len(dilations) == 0:
            raise ValueError('ASPPV2Module needs at least one dilation rate')
        self.dilations = tuple(dilations)
        for dilation in self.dilations:
            self.append(
                build_conv_layer(conv_cfg, in_channels, out_channels, kernel_size=3,
                                 padding=dilation, dilation=dilation, bias=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Sum of the branch outputs, (B, out_channels, H, W) for x of (B, in_channels, H, W)."""
        out = self[0](x)
        for index in range(1, len(self)):
            out = out + self[index](x)
        return out


@MODELS.register_module()
class DeepLabV2Head(BaseDecodeHead):
    """DeepLab-v2 head: ASPP with rates 6, 12, 18, 24 on the backbone's last feature map.

    Paper: `DeepLab: Semantic Image Segmentation with Deep Convolutional Nets, Atrous
    Convolution, and Fully Connected CRFs <https://arxiv.org/abs/1606.00915>`_ (ASPP-L, the
    ResNet-101 model). Used as the final segmentation model by WSSS methods such as SIPE and
    Spatial-BCE (their "Res101" results, via ``kazuto1011/deeplab-pytorch``).

    The ASPP branches are the classifier, so the module takes the place of ``conv_seg`` and
    inherits its initialisation (``init_cfg`` overrides ``conv_seg`` with Normal(0, 0.01) and
    zero bias, as deeplab-pytorch does). There is no image pooling branch, no bottleneck conv, no
    normalisation and, by default, no dropout. ``channels`` of :class:`BaseDecodeHead` is the
    input width here and is not an argument.

    Args:
        in_channels (int): Channels of the input feature map (2048 for ResNet-101).
        dilations (Sequence[int]): Dilation rates of the ASPP branches.
            Defaults to (6, 12, 18, 24).
        dropout_ratio (float): Dropout2d on the features before the ASPP. Defaults to 0.
        **kwargs: Other :class:`BaseDecodeHead` arguments (``num_classes``, ``in_index``,
            ``loss_decode``, ``align_corners``, ``conv_cfg``, ...). ``norm_cfg`` and ``act_cfg``
            are accepted but unused.

    Examples:
        >>> import torch
        >>> from hfpl_mm.models.decode_heads import DeepLabV2Head
        >>> head = DeepLabV2Head(in_channels=16, num_classes=21)
        >>> head((torch.rand(2, 16, 9, 9), )).shape
        torch.Size([2, 21, 9, 9])
    """

    def __init__(self,
                 in_channels: Union[int, List[int]],
                 dilations: Sequence[int] = (6, 12, 18, 24),
                 dropout_ratio: float = 0.,
                 **kwargs) -> None:
        if 'channels' in kwargs:
            raise TypeError('DeepLabV2Head takes no `channels`: its ASPP branches map the input '
                            'features straight to class scores')
        if kwargs.get('input_transform') == 'multiple_select':
            raise ValueError("DeepLabV2Head needs one feature map; input_transform "
                             "'multiple_select' gives several")
        channels = sum(in_channels) if isinstance(in_channels, (list, tuple)) else in_channels
        super().__init__(in_channels=in_channels, channels=channels,
                         dropout_ratio=dropout_ratio, **kwargs)
        self.dilations = tuple(dilations)
        # replaces BaseDecodeHead's 1x1 classifier, so cls_seg (dropout -> conv_seg) and the
        # default init_cfg apply to the ASPP
        self.conv_seg = ASPPV2Module(self.dilations, self.channels, self.out_channels,
                                     conv_cfg=self.conv_cfg)

    def forward(self, inputs: Tuple[torch.Tensor]) -> torch.Tensor:
        """Class scores (B, num_classes, H, W) at the resolution of the selected feature map."""
        return self.cls_seg(self._transform_inputs(inputs))
