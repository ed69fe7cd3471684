"""ResNet-38d: stage shapes, SEAM's names, freezing and the from-scratch options."""
import pytest
import torch
from mmpretrain.registry import MODELS
from mmseg.registry import MODELS as SEG_MODELS

import hfpl_mm  # noqa: F401
from hfpl_mm.models.backbones import ResNet38d


def test_stage_outputs_follow_the_table():
    net = ResNet38d(base_channels=4, out_indices=range(7))
    outs = net(torch.rand(2, 3, 40, 48))
    strides = (1, 2, 4, 8, 8, 8, 8)
    channels = (4, 8, 16, 32, 64, 128, 256)
    assert [tuple(o.shape) for o in outs] == [
        (2, c, -(-40 // s), -(-48 // s)) for c, s in zip(channels, strides)]
    assert net.out_channels == channels
    assert all((o >= 0).all() for o in outs)  # activated (BN-ReLU) outputs


def test_seam_outputs_and_full_width():
    net = ResNet38d(out_indices=(3, 4, 6))
    assert net.out_channels[3:5] == (512, 1024) and net.out_channels[6] == 4096
    assert sum(p.numel() for p in net.parameters()) == 105_070_912  # counted from SEAM's layers
    keys = set(net.state_dict())
    for key in ('conv1a.weight', 'b2.conv_branch1.weight', 'b4_5.bn_branch2b1.running_var',
                'b5_2.conv_branch2b1.weight', 'b6.conv_branch2b2.weight', 'b7.bn_branch2b2.bias',
                'bn7.running_mean'):
        assert key in keys
    assert 'b2_1.conv_branch1.weight' not in keys  # identity shortcut where shapes agree


def test_seam_freezing():
    net = ResNet38d(base_channels=4, out_indices=(3, 4, 6), frozen_stages=1,
                    norm_cfg=dict(type='BN', requires_grad=False), norm_eval=True)
    net.train()
    frozen = {n for n, p in net.named_parameters() if not p.requires_grad}
    assert 'conv1a.weight' in frozen and 'b2_2.conv_branch2b1.weight' in frozen
    assert 'b3.conv_branch2a.weight' not in frozen
    assert all(n in frozen for n, _ in net.named_parameters() if 'bn' in n)
    assert all(not m.training for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d))
    before = net.bn7.running_mean.clone()
    net(torch.rand(2, 3, 32, 32))
    torch.testing.assert_close(net.bn7.running_mean, before)
    assert net.b6.dropout_2b1.training  # only the normalisation is frozen


def test_zero_init_residual_starts_as_shortcut():
    net = ResNet38d(base_channels=4, zero_init_residual=True)
    net.init_weights()
    x = torch.randn(2, 8, 16, 16)
    torch.testing.assert_close(net.b2_1(x)[0], x)
    assert net.b7.conv_branch2b2.weight.abs().sum() == 0
    assert net.b7.conv_branch1.weight.abs().sum() > 0


def test_registered_and_arguments_checked():
    assert MODELS.get('ResNet38d') is ResNet38d and SEG_MODELS.get('ResNet38d') is ResNet38d
    with pytest.raises(ValueError, match='out_indices'):
        ResNet38d(out_indices=(7, ))
    with pytest.raises(ValueError, match='frozen_stages'):
        ResNet38d(frozen_stages=7)
    with pytest.raises(ValueError, match='base_channels'):
        ResNet38d(base_channels=0)


def test_gradient_reaches_the_stem():
    net = ResNet38d(base_channels=4, out_indices=(6, ))
    net(torch.rand(2, 3, 24, 24))[0].sum().backward()
    assert net.conv1a.weight.grad.abs().sum() > 0
