"""Wide ResNet-38 ("model A1", output stride 8), the CAM backbone of PSA, SEAM and their heirs.

Paper: `Wider or Deeper: Revisiting the ResNet Model for Visual Recognition
<https://arxiv.org/abs/1611.10080>`_ (Wu et al., 2019). The layer layout and the module names
follow SEAM's ``network/resnet38d.py`` (https://github.com/YudeWang/SEAM), so SEAM's released
PyTorch checkpoints and the ImageNet MXNet weights map onto it by name
(``tools/model_converters/resnet38_mxnet.py``).
"""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS
from mmseg.registry import MODELS as SEG_MODELS
from torch.nn.modules.batchnorm import _BatchNorm

__all__ = ['ResBlock', 'BottleneckResBlock', 'ResNet38d']


class ResBlock(nn.Module):
    """Pre-activation block: BN-ReLU, 3x3 conv, BN-ReLU, 3x3 conv, plus a (projected) shortcut.

    ``forward`` also returns the BN-ReLU of the block input (SEAM's ``x_bn_relu``), which is
    the activated output of the previous stage.

    Args:
        in_channels (int): Input channels.
        mid_channels (int): Channels after the first conv.
        out_channels (int): Output channels.
        stride (int): Stride of the first conv and the projection. Defaults to 1.
        first_dilation (int, optional): Dilation of the first conv. Defaults to ``dilation``.
        dilation (int): Dilation of the second conv. Defaults to 1.
        norm_cfg (dict): Normalisation layer config. Defaults to BN.
    """

    def __init__(self,
                 in_channels: int,
                 mid_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 first_dilation: Optional[int] = None,
                 dilation: int = 1,
                 norm_cfg: dict = dict(type='BN')) -> None:
        super().__init__()
        first_dilation = dilation if first_dilation is None else first_dilation
        self.same_shape = in_channels == out_channels and stride == 1
        self.bn_branch2a = build_norm_layer(norm_cfg, in_channels)[1]
        self.conv_branch2a = nn.Conv2d(in_channels, mid_channels, 3, stride,
                                       padding=first_dilation, dilation=first_dilation,
                                       bias=False)
        self.bn_branch2b1 = build_norm_layer(norm_cfg, mid_channels)[1]
        self.conv_branch2b1 = nn.Conv2d(mid_channels, out_channels, 3, padding=dilation,
                                        dilation=dilation, bias=False)
        if not self.same_shape:
            self.conv_branch1 = nn.Conv2d(in_channels, out_channels, 1, stride, bias=False)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Return ``(output, BN-ReLU of the input)``."""
        act = F.relu(self.bn_branch2a(x))
        shortcut = x if self.same_shape else self.conv_branch1(act)
        out = self.conv_branch2b1(F.relu(self.bn_branch2b1(self.conv_branch2a(act))))
        return shortcut + out, act


class BottleneckResBlock(nn.Module):
    """Pre-activation bottleneck (1x1, 3x3, 1x1 with widths out/4, out/2, out) with dropout
    before the last two convs, always with a projected shortcut (SEAM's ``ResBlock_bot``).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the first conv and the projection. Defaults to 1.
        dilation (int): Dilation of the 3x3 conv. Defaults to 1.
        dropout (float): ``Dropout2d`` probability. Defaults to 0.
        norm_cfg (dict): Normalisation layer config. Defaults to BN.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 dilation: int = 1,
                 dropout: float = 0.,
                 norm_cfg: dict = dict(type='BN')) -> None:
        super().__init__()
        self.bn_branch2a = build_norm_layer(norm_cfg, in_channels)[1]
        self.conv_branch2a = nn.Conv2d(in_channels, out_channels // 4, 1, stride, bias=False)
        self.bn_branch2b1 = build_norm_layer(norm_cfg, out_channels // 4)[1]
        self.dropout_2b1 = nn.Dropout2d(dropout)
        self.conv_branch2b1 = nn.Conv2d(out_channels // 4, out_channels // 2, 3,
                                        padding=dilation, dilation=dilation, bias=False)
        self.bn_branch2b2 = build_norm_layer(norm_cfg, out_channels // 2)[1]
        self.dropout_2b2 = nn.Dropout2d(dropout)
        self.conv_branch2b2 = nn.Conv2d(out_channels // 2, out_channels, 1, bias=False)
        self.conv_branch1 = nn.Conv2d(in_channels, out_channels, 1, stride, bias=False)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Return ``(output, BN-ReLU of the input)``."""
        act = F.relu(self.bn_branch2a(x))
        out = F.relu(self.bn_branch2b1(self.conv_branch2a(act)))
        out = self.conv_branch2b1(self.dropout_2b1(out))
        out = F.relu(self.bn_branch2b2(out))
        out = self.conv_branch2b2(self.dropout_2b2(out))
        return self.conv_branch1(act) + out, act


@MODELS.register_module()
@SEG_MODELS.register_module()
class ResNet38d(BaseBackbone):
    """Wide ResNet-38 with dilated last stages (output stride 8), as in PSA / SEAM.

    Seven stages named as in SEAM, so that its checkpoints load by name: the stem ``conv1a``
    (3x3, stride 1) and six residual stages. With ``c = base_channels`` (64 for ImageNet):

    =====  ===================  ========  ======  ========  ==============
    index  modules              channels  stride  dilation  SEAM feature
    =====  ===================  ========  ======  ========  ==============
    0      conv1a               c         1       1
    1      b2, b2_1, b2_2       2c        2       1
    2      b3, b3_1, b3_2       4c        4       1         ``conv3``
    3      b4, b4_1 ... b4_5    8c        8       1         ``conv4``
    4      b5, b5_1, b5_2       16c       8       2         ``conv5``
    5      b6 (bottleneck)      32c       8       4
    6      b7 (bottleneck), bn7 64c       8       4         ``conv6``
    =====  ===================  ========  ======  ========  ==============

    Output ``i`` is stage ``i``'s result after BN-ReLU: for ``i < 6`` the pre-activation of
    the next stage's first block (SEAM's ``x_bn_relu``), for ``i = 6`` ``ReLU(bn7(.))``.
    SEAM's PCM reads ``conv4`` and ``conv5`` and its classifier ``conv6``:
    ``out_indices=(3, 4, 6)``.

    SEAM fine-tunes from ImageNet with every batch norm frozen (eval mode, no gradient:
    ``norm_cfg=dict(type='BN', requires_grad=False)``, ``norm_eval=True``) and with
    ``conv1a`` and ``b2*`` frozen (``frozen_stages=1``). A model trained from scratch (the synthetic
    configs) needs trainable batch norm and can use a smaller ``base_channels``.

    Args:
        base_channels (int): Width ``c`` of the stem; every stage scales with it.
            Defaults to 64 (the ImageNet model, 4096-d ``conv6``).
        out_indices (Sequence[int]): Stages whose activated outputs are returned.
            Defaults to (6, ).
        frozen_stages (int): As mmpretrain's ResNet: freeze the stem (>= 0) and the first
            ``frozen_stages`` residual stages, i.e. stages ``0 .. frozen_stages`` of the
            table (weights without gradient, normalisation in eval mode); 1 = SEAM's
            ``conv1a, b2, b2_1, b2_2``. -1 freezes nothing. Defaults to -1.
        dropout (tuple[float, float]): ``Dropout2d`` probabilities inside ``b6`` / ``b7``.
            Defaults to (0.3, 0.5), as the ImageNet model.
        norm_cfg (dict): Normalisation config. Defaults to ``dict(type='BN')``.
        norm_eval (bool): Keep every normalisation layer in eval mode (running statistics)
            while training. Defaults to False.
        zero_init_residual (bool): Zero the last conv of every residual branch after
            initialisation (not with a ``Pretrained`` init), so each block starts as its
            shortcut; helps training from scratch (not part of SEAM, which starts from
            ImageNet). Defaults to False.
        init_cfg (dict | list[dict], optional): Initialisation config.

    Example:
        >>> import torch
        >>> net = ResNet38d(base_channels=8, out_indices=(3, 4, 6))
        >>> [tuple(f.shape) for f in net(torch.rand(1, 3, 64, 64))]
        [(1, 64, 8, 8), (1, 128, 8, 8), (1, 512, 8, 8)]
    """
    num_stages = 7

    def __init__(self,
                 base_channels: int = 64,
                 out_indices: Sequence[int] = (6, ),
                 frozen_stages: int = -1,
                 dropout: Tuple[float, float] = (0.3, 0.5),
                 norm_cfg: dict = dict(type='BN'),
                 norm_eval: bool = False,
                 zero_init_residual: bool = False,
                 init_cfg: Optional[dict] = [
                     dict(type='Kaiming', layer=['Conv2d']),
                     dict(type='Constant', val=1, layer=['_BatchNorm'])
                 ]) -> None:
        super().__init__(init_cfg)
        out_indices = tuple(out_indices)
        if not out_indices or any(not 0 <= i < self.num_stages for i in out_indices):
            raise ValueError(f'out_indices must be in [0, {self.num_stages}), got {out_indices}')
        if not -1 <= frozen_stages < self.num_stages:
            raise ValueError(f'frozen_stages must be in [-1, {self.num_stages - 1}], '
                             f'got {frozen_stages}')
        if base_channels < 1:
            raise ValueError(f'base_channels must be positive, got {base_channels}')
        self.out_indices = out_indices
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.zero_init_residual = zero_init_residual
        c = base_channels

        def res(*args, **kwargs):
            return ResBlock(*args, norm_cfg=norm_cfg, **kwargs)

        self.conv1a = nn.Conv2d(3, c, 3, padding=1, bias=False)
        self.b2 = res(c, 2 * c, 2 * c, stride=2)
        self.b2_1 = res(2 * c, 2 * c, 2 * c)
        self.b2_2 = res(2 * c, 2 * c, 2 * c)
        self.b3 = res(2 * c, 4 * c, 4 * c, stride=2)
        self.b3_1 = res(4 * c, 4 * c, 4 * c)
        self.b3_2 = res(4 * c, 4 * c, 4 * c)
        self.b4 = res(4 * c, 8 * c, 8 * c, stride=2)
        for i in range(1, 6):
            self.add_module(f'b4_{i}', res(8 * c, 8 * c, 8 * c))
        self.b5 = res(8 * c, 8 * c, 16 * c, first_dilation=1, dilation=2)
        self.b5_1 = res(16 * c, 8 * c, 16 * c, dilation=2)
        self.b5_2 = res(16 * c, 8 * c, 16 * c, dilation=2)
        self.b6 = BottleneckResBlock(16 * c, 32 * c, dilation=4, dropout=dropout[0],
                                     norm_cfg=norm_cfg)
        self.b7 = BottleneckResBlock(32 * c, 64 * c, dilation=4, dropout=dropout[1],
                                     norm_cfg=norm_cfg)
        self.bn7 = build_norm_layer(norm_cfg, 64 * c)[1]
        self.stage_names = (('conv1a', ), ('b2', 'b2_1', 'b2_2'), ('b3', 'b3_1', 'b3_2'),
                            ('b4', ) + tuple(f'b4_{i}' for i in range(1, 6)),
                            ('b5', 'b5_1', 'b5_2'), ('b6', ), ('b7', 'bn7'))
        self.out_channels = (c, 2 * c, 4 * c, 8 * c, 16 * c, 32 * c, 64 * c)
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Activated outputs of the ``out_indices`` stages, each (B, C_i, H/s_i, W/s_i)."""
        outs = {}
        x = self.conv1a(x)
        for index, names in enumerate(self.stage_names[1:-1], 1):
            for name in names:
                x, act = getattr(self, name)(x)
                if name == names[0]:
                    outs[index - 1] = act
        x, outs[5] = self.b7(x)
        outs[6] = F.relu(self.bn7(x))
        return tuple(outs[i] for i in self.out_indices)

    def init_weights(self) -> None:
        """Apply ``init_cfg``, then zero the residual branches if ``zero_init_residual``
        (skipped when the weights are loaded)."""
        super().init_weights()
        pretrained = isinstance(self.init_cfg, dict) and self.init_cfg.get('type') == 'Pretrained'
        if self.zero_init_residual and not pretrained:
            for module in self.modules():
                if isinstance(module, ResBlock):
                    nn.init.zeros_(module.conv_branch2b1.weight)
                elif isinstance(module, BottleneckResBlock):
                    nn.init.zeros_(module.conv_branch2b2.weight)

    def _frozen_modules(self):
        for names in self.stage_names[:self.frozen_stages + 1]:
            for name in names:
                yield getattr(self, name)

    def _freeze_stages(self) -> None:
        for module in self._frozen_modules():
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True) -> 'ResNet38d':
        """Set the mode, keeping frozen stages (and all norms if ``norm_eval``) in eval mode."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self
