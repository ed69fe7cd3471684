"""Tests of DeepLabV2Head (DeepLab-v2's summed ASPP classifier)."""
import pytest
import torch
import torch.nn as nn
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import hfpl_mm  # noqa: F401
from hfpl_mm.models.decode_heads import DeepLabV2Head


@pytest.fixture(autouse=True)
def _mmseg_scope():
    """Per test: another module's tests may have switched the default scope."""
    init_default_scope('mmseg')


DEFAULT_ARGS = dict(type='DeepLabV2Head', in_channels=8, num_classes=3)


def test_branches_are_dilated_3x3_convs_to_classes():
    head = MODELS.build(DEFAULT_ARGS)
    assert head.dilations == (6, 12, 18, 24) and head.dropout is None
    convs = list(head.conv_seg)
    assert len(convs) == 4
    for conv, rate in zip(convs, (6, 12, 18, 24)):
        assert isinstance(conv, nn.Conv2d) and conv.kernel_size == (3, 3)
        assert conv.dilation == (rate, rate) and conv.padding == (rate, rate)
        assert (conv.in_channels, conv.out_channels) == (8, 3) and conv.bias is not None
    # nothing else has parameters: no image pooling, bottleneck or normalisation
    assert {n.split('.')[0] for n, _ in head.named_parameters()} == {'conv_seg'}


def test_forward_is_sum_of_branches():
    head = MODELS.build(dict(DEFAULT_ARGS, dilations=(1, 2, 3), in_index=1))
    feats = (torch.randn(2, 4, 9, 9), torch.randn(2, 8, 7, 9))
    out = head(feats)
    assert out.shape == (2, 3, 7, 9)
    expected = sum(conv(feats[1]) for conv in head.conv_seg)
    torch.testing.assert_close(out, expected)


def test_init_is_normal_001_with_zero_bias():
    torch.manual_seed(0)
    head = MODELS.build(dict(DEFAULT_ARGS, in_channels=64, num_classes=21))
    head.init_weights()
    weights = torch.cat([conv.weight.flatten() for conv in head.conv_seg])
    assert abs(weights.std().item() - 0.01) < 1e-3
    assert all(conv.bias.abs().max() == 0 for conv in head.conv_seg)


def test_loss_and_predict():
    head = MODELS.build(DEFAULT_ARGS)
    feats = (torch.randn(2, 8, 4, 4), )
    gt = torch.randint(0, 3, (1, 16, 16))
    gt[:, :2] = 255
    samples = [SegDataSample(gt_sem_seg=PixelData(data=gt)) for _ in range(2)]
    losses = head.loss(feats, samples, ConfigDict())
    assert set(losses) == {'loss_ce', 'acc_seg'} and losses['loss_ce'] > 0
    losses['loss_ce'].backward()
    assert all(conv.weight.grad is not None for conv in head.conv_seg)
    metas = [dict(img_shape=(16, 16), pad_shape=(16, 16))] * 2
    assert head.predict(feats, metas, ConfigDict()).shape == (2, 3, 16, 16)


def test_rejects_channels_and_multiple_inputs():
    with pytest.raises(TypeError, match='channels'):
        MODELS.build(dict(DEFAULT_ARGS, channels=16))
    with pytest.raises(ValueError, match='one feature map'):
        MODELS.build(dict(DEFAULT_ARGS, in_channels=[4, 8], in_index=[0, 1],
                          input_transform='multiple_select'))
    with pytest.raises(ValueError, match='dilation'):
        MODELS.build(dict(DEFAULT_ARGS, dilations=()))


def test_docstring_example():
    head = DeepLabV2Head(in_channels=16, num_classes=21)
    assert head((torch.rand(2, 16, 9, 9), )).shape == (2, 21, 9, 9)


def test_resize_concat_input():
    head = MODELS.build(dict(DEFAULT_ARGS, in_channels=[4, 8], in_index=[0, 1],
                             input_transform='resize_concat', dilations=(1, 2)))
    out = head((torch.randn(1, 4, 8, 8), torch.randn(1, 8, 4, 4)))
    assert out.shape == (1, 3, 8, 8)
