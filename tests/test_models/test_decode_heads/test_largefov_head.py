"""LargeFOVHead against a transcription of MCTformer's seg/network/resnet38_seg.py head
(xulianuwa/MCTformer@9606597): two 3x3 dilation-12 convs with bias, ReLU between, Xavier init."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from hfpl_mm.models.decode_heads import LargeFOVHead


def test_matches_resnet38_seg_head():
    torch.manual_seed(0)
    head = LargeFOVHead(in_channels=16, channels=8, num_classes=21, norm_cfg=None)
    head.init_weights()
    # resnet38_seg.Net: fc8_seg_conv1 / fc8_seg_conv2 with the head's weights
    fc8_seg_conv1 = nn.Conv2d(16, 8, (3, 3), stride=1, padding=12, dilation=12, bias=True)
    fc8_seg_conv2 = nn.Conv2d(8, 21, (3, 3), stride=1, padding=12, dilation=12, bias=True)
    fc8_seg_conv1.load_state_dict(head.conv_fov.conv.state_dict())
    fc8_seg_conv2.load_state_dict(head.conv_seg.state_dict())
    x = torch.randn(2, 16, 30, 30)
    expected = fc8_seg_conv2(F.relu(fc8_seg_conv1(x)))
    torch.testing.assert_close(head((x, )), expected)
    # Xavier-uniform weights, zero biases (torch.nn.init.xavier_uniform_ in resnet38_seg.py)
    bound = (6 / (8 * 9 + 21 * 9))**0.5
    assert head.conv_seg.weight.abs().max() <= bound and not head.conv_seg.bias.any()
    names = [n for n, _ in head.named_parameters()]
    assert 'conv_seg.weight' in names and 'conv_fov.conv.bias' in names


def test_normalisation_is_refused():
    with pytest.raises(ValueError, match='norm_cfg=None'):
        LargeFOVHead(in_channels=16, channels=8, num_classes=21, norm_cfg=dict(type='BN'))
