"""ScaleNet: shapes, freezing, and the converter against a transcription of the public network
(Eli-YiLi/PMM network/scalenet.py) whose state dict the test writes."""
import json
import math
import os.path as osp
import random
import sys

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from hfpl_mm.models.backbones import ScaleNet
from hfpl_mm.models.backbones.scalenet import scalenet_structure

sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..', '..', 'tools', 'model_converters'))
import scalenet as converter  # noqa: E402


# --- transcription of Eli-YiLi/PMM network/scalenet.py (SABlock, ScaleNet) --------------------
class RefSABlock(nn.Module):
    layer_idx = 0
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, bias=False, downsample=False, structure=[],
                 dilation=1):
        super().__init__()
        channels = structure[RefSABlock.layer_idx][:-1]
        side = structure[RefSABlock.layer_idx][-1]
        RefSABlock.layer_idx += 1
        self.scales = [None, 2, 4, 7]
        self.stride = stride
        self.downsample = None if downsample == False else \
            nn.Sequential(nn.Conv2d(inplanes, planes * RefSABlock.expansion, kernel_size=1,
                                    stride=1, bias=bias),
                          nn.BatchNorm2d(planes * RefSABlock.expansion))  # noqa: E712
        self.conv1 = nn.Conv2d(inplanes, planes, kernel_size=1, bias=bias)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.ModuleList([nn.Conv2d(
            planes, channels[i], kernel_size=3 if side / 2**i > 1 else 1, stride=1,
            padding=dilation if side / 2**i > 1 else 0, bias=bias,
            dilation=dilation if side / 2**i > 1 else 1) if channels[i] > 0 else None
            for i in range(len(self.scales))])
        self.bn2 = nn.ModuleList([nn.BatchNorm2d(channels[i]) if channels[i] > 0 else None
                                  for i in range(len(self.scales))])
        self.conv3 = nn.Conv2d(sum(channels), planes * RefSABlock.expansion, kernel_size=1,
                               bias=bias)
        self.bn3 = nn.BatchNorm2d(planes * RefSABlock.expansion)

    def forward(self, x):
        x = F.max_pool2d(x, self.stride, self.stride) if self.stride > 1 else x
        residual = self.downsample(x) if self.downsample != None else x  # noqa: E711
        out1 = self.conv1(x)
        out1 = F.relu(self.bn1(out1))
        out2_list = []
        size = [out1.size(2), out1.size(3)]
        for i in range(len(self.scales)):
            out2_i = out1
            if self.scales[i] != None:  # noqa: E711
                if out2_i.shape[3] < self.scales[i] or out2_i.shape[2] < self.scales[i]:
                    out2_i = F.max_pool2d(out2_i, out2_i.shape[2], out2_i.shape[3])
                else:
                    out2_i = F.max_pool2d(out2_i, self.scales[i], self.scales[i])
            if self.conv2[i] != None:  # noqa: E711
                out2_i = self.conv2[i](out2_i)
            if self.scales[i] != None:  # noqa: E711
                mode = 'nearest' if size[0] % out2_i.shape[2] == 0 and \
                    size[1] % out2_i.shape[3] == 0 else 'bilinear'
                out2_i = F.interpolate(out2_i, size=size, mode=mode)
            if self.bn2[i] != None:  # noqa: E711
                out2_i = self.bn2[i](out2_i)
                out2_list.append(out2_i)
        out2 = torch.cat(out2_list, 1)
        out2 = F.relu(out2)
        out3 = self.conv3(out2)
        out3 = self.bn3(out3)
        out3 += residual
        out3 = F.relu(out3)
        return out3


class RefScaleNet(nn.Module):

    def __init__(self, block, layers, structure, dilations=(1, 1, 2, 4)):
        super().__init__()
        self.inplanes = 64
        self.structure = structure
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.layer1 = self._make_layer(block, 64, layers[0], stride=1, dilation=dilations[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2, dilation=dilations[1])
        self.layer3 = self._make_layer(block, 256, layers[2], stride=1, dilation=dilations[2])
        self.layer4 = self._make_layer(block, 512, layers[3], stride=1, dilation=dilations[3])
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                m.weight.data.normal_(0, math.sqrt(2. / n))
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()
        block.layer_idx = 0

    def _make_layer(self, block, planes, blocks, stride=1, dilation=1):
        downsample = True if stride != 1 or self.inplanes != planes * block.expansion else False
        layers = []
        layers.append(block(self.inplanes, planes, stride, downsample=downsample,
                            structure=self.structure, dilation=dilation))
        self.inplanes = planes * block.expansion
        for i in range(1, blocks):
            layers.append(block(self.inplanes, planes, downsample=False,
                                structure=self.structure, dilation=dilation))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 3, 2, 1)
        x = self.layer1(x)
        x2 = self.layer2(x)
        x3 = self.layer3(x2)
        x4 = self.layer4(x3)
        return dict({'x2': x2, 'x3': x3, 'x4': x4})


def searched_structure(depth, seed=0):
    """A non-uniform allocation like the searched ones (some branches empty)."""
    rng = random.Random(seed)
    out = []
    for entry in scalenet_structure(depth):
        planes = sum(entry[:4])
        cuts = sorted(rng.randint(0, planes) for _ in range(3))
        channels = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], planes - cuts[2]]
        channels[0] = channels[0] or 1
        out.append(channels + [entry[4]])
    return out


def test_converter_round_trip(tmp_path):
    torch.manual_seed(0)
    structure = searched_structure(50)
    ref = RefScaleNet(RefSABlock, [3, 4, 6, 3], structure, dilations=(1, 1, 1, 1)).eval()
    state = {'module.' + k: v for k, v in ref.state_dict().items()}
    state['module.fc.weight'] = torch.zeros(1000, 2048)
    src, dst = tmp_path / 'scalenet50.pth', tmp_path / 'out.pth'
    torch.save(state, src)
    assert converter.main([str(src), str(dst)]) == 0
    with open(tmp_path / 'out.json') as f:
        assert json.load(f) == structure
    ours = ScaleNet(depth=50, structure=str(tmp_path / 'out.json'),
                    init_cfg=dict(type='Pretrained', checkpoint=str(dst), prefix='backbone.'))
    ours.init_weights()
    ours.eval()
    x = torch.randn(1, 3, 64, 72)
    expected = ref(x)
    for got, key in zip(ours(x), ('x2', 'x3', 'x4')):
        torch.testing.assert_close(got, expected[key])
    assert converter.main([str(tmp_path / 'missing.pth'), str(dst)]) == 1
    torch.save({'conv1.weight': torch.zeros(1)}, src)
    assert converter.main([str(src), str(dst)]) == 1


def test_scalenet101_shapes_and_freezing():
    net = ScaleNet(depth=101, base_channels=8, frozen_stages=1, norm_eval=True)
    assert len(net.layer3) == 23 and net.out_channels == (32, 64, 128, 256)
    feats = net(torch.rand(2, 3, 64, 64))
    assert [tuple(f.shape) for f in feats] == [(2, 64, 8, 8), (2, 128, 8, 8), (2, 256, 8, 8)]
    net.train()
    assert not net.conv1.weight.requires_grad and not any(
        p.requires_grad for p in net.layer1.parameters())
    assert all(p.requires_grad for p in net.layer2.parameters())
    assert not net.layer2[0].bn1.training
    with pytest.raises(ValueError, match='depth'):
        ScaleNet(depth=34)
    with pytest.raises(ValueError, match='blocks'):
        ScaleNet(depth=101, structure=scalenet_structure(50))
    with pytest.raises(FileNotFoundError, match='missing.json.*model_converters'):
        ScaleNet(structure='missing.json')
