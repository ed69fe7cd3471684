"""Tests of DeepLabV1Head (seamv1's DeepLab-v1 head) and its ResNet-38 config."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import hfpl_mm  # noqa: F401
from tests.conftest import ROOT

CONFIG = ROOT / 'configs/seg/deeplabv1_r38d_1xb10-20k_voc12aug-pseudo-448x448.py'


@pytest.fixture(autouse=True)
def _mmseg_scope():
    init_default_scope('mmseg')


def _head(**kwargs):
    args = dict(type='DeepLabV1Head', in_channels=16, channels=8, num_classes=5,
                norm_cfg=dict(type='BN', momentum=3e-4, requires_grad=False))
    return MODELS.build(dict(args, **kwargs))


def test_forward_equals_seamv1_transcription():
    """The head's eval forward is seamv1's deeplabv1 forward (lib/net/deeplabv1.py) with the
    same weights: conv_fov -> bn_fov -> relu -> conv_fov2 -> bn_fov2 -> relu -> dropout ->
    cls_conv."""
    torch.manual_seed(0)
    head = _head()
    head.init_weights()
    fov, fov2 = head.convs
    for bn in (fov.bn, fov2.bn):  # non-trivial statistics
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.5, 2)
    head.eval()
    x = torch.randn(2, 16, 15, 15)
    with torch.no_grad():
        ref = F.relu(fov.bn(F.conv2d(x, fov.conv.weight, None, 1, 12, 12)))
        ref = F.relu(fov2.bn(F.conv2d(ref, fov2.conv.weight)))
        ref = F.conv2d(ref, head.conv_seg.weight, head.conv_seg.bias)
        out = head((x, ))
    torch.testing.assert_close(out, ref)
    assert fov.conv.dilation == (12, 12) and fov.conv.bias is None and fov2.conv.bias is None
    assert head.conv_seg.bias is not None and isinstance(head.dropout, nn.Dropout)
    # the BN affine parameters are not trained (seamv1 groups conv parameters only)
    assert not any(p.requires_grad for n, p in head.named_parameters() if '.bn.' in n)
    assert fov.bn.momentum == 3e-4


def test_dropout_is_elementwise_in_training():
    head = _head(dropout_ratio=0.5).train()
    feats = torch.ones(1, 8, 6, 6)
    dropped = head.dropout(feats)
    # element-wise: some channel keeps some pixels and loses others (Dropout2d would not)
    per_channel = (dropped == 0).flatten(1).float().mean(1)
    assert ((per_channel > 0) & (per_channel < 1)).any()


def test_config_groups_parameters_as_seamv1():
    """lr 1e-3 backbone weights, x10 head weights, x20 classifier bias without decay; frozen
    backbone BN and conv1a; logits upsampled with align_corners=True."""
    cfg = Config.fromfile(str(CONFIG))
    cfg.model.backbone.base_channels = 4  # the structure, not the width, is under test
    cfg.model.decode_head.in_channels = 256
    model = MODELS.build(cfg.model)
    assert model.decode_head.align_corners
    backbone = model.backbone.train()
    assert not backbone.conv1a.weight.requires_grad
    assert all(not m.training for m in backbone.modules() if isinstance(m, nn.BatchNorm2d))
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    groups = {id(g['params'][0]): g for g in wrapper.optimizer.param_groups}

    def group(param):
        return groups[id(param)]

    assert group(backbone.b2.conv_branch2a.weight)['lr'] == pytest.approx(1e-3)
    assert group(model.decode_head.convs[0].conv.weight)['lr'] == pytest.approx(1e-2)
    bias = group(model.decode_head.conv_seg.bias)
    assert bias['lr'] == pytest.approx(2e-2) and bias['weight_decay'] == 0
    assert group(model.decode_head.conv_seg.weight)['weight_decay'] == pytest.approx(5e-4)
    assert wrapper.optimizer.defaults['momentum'] == 0.9
