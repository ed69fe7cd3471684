"""The synthetic pretraining configs: each builds, and its backbone's weights fit the synthetic
nets that load them (``init_cfg=dict(type='Pretrained', prefix='backbone.')``)."""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS

from tests.conftest import ROOT

PAIRS = [('configs/pretrain/r18-slim-d8_1xb64-30e_synthetic-pretrain-64x64.py',
          'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'),
         ('configs/pretrain/r38d-slim_1xb64-30e_synthetic-pretrain-64x64.py',
          'configs/seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py')]


@pytest.mark.parametrize('pretrain, target', PAIRS)
def test_pretrained_backbone_fits(pretrain, target):
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(str(ROOT / pretrain))
    assert cfg.train_dataloader.dataset.type == 'SyntheticPretrainDataset'
    net = MODELS.build(cfg.model)
    out = net(torch.zeros(2, 3, 64, 64), mode='tensor')
    assert out.shape == (2, 32)
    own = net.backbone.state_dict()
    other = MODELS.build(Config.fromfile(str(ROOT / target)).model).backbone.state_dict()
    assert own.keys() == other.keys()
    assert all(own[k].shape == other[k].shape for k in own)
