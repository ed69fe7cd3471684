"""Refinement-stage configs: every one builds its model; the nets of the pipelines with
``refine.init_backbone`` take their backbone weights from the pipeline's classifier checkpoint."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import hfpl_mm  # noqa: F401
from tests.conftest import ROOT

REFINE_CONFIGS = sorted((ROOT / 'configs' / 'refine').glob('*.py'))
PIPELINES = sorted((ROOT / 'configs' / 'pipelines').glob('*.py'))
INIT_PIPELINES = [p for p in PIPELINES
                  if (Config.fromfile(str(p)).get('refine') or {}).get('init_backbone')]


def _build(cfg: Config, scope: str):
    init_default_scope(scope)
    registry = __import__(f'{scope}.registry', fromlist=['MODELS']).MODELS
    return registry.build(cfg.model)


@pytest.mark.parametrize('path', REFINE_CONFIGS, ids=lambda p: p.stem)
def test_config_builds_model(path):
    cfg = Config.fromfile(str(path))
    assert cfg.default_scope == 'mmseg' and 'hfpl_mm' in cfg.custom_imports.imports
    model = _build(cfg, 'mmseg').eval()
    assert type(model).__name__ in ('ConfidentLabeler', 'AffinityNet', 'IRN')
    if hasattr(model, 'backbone'):
        with torch.no_grad():
            out = model(torch.rand(1, 3, 64, 64), mode='tensor')
        first = out[0] if isinstance(out, tuple) else out
        stride = 4 if type(model).__name__ == 'IRN' else 8  # IRN's branches: stride 4
        assert first.shape[-2:] == (64 // stride, 64 // stride)


@pytest.mark.parametrize('path', INIT_PIPELINES, ids=lambda p: p.stem)
def test_refine_net_starts_from_the_classifier(path: Path, tmp_path):
    pipeline = Config.fromfile(str(path))
    cls_cfg = Config.fromfile(str(path.parent / pipeline.classifier))
    classifier = _build(cls_cfg, cls_cfg.default_scope)
    ckpt = tmp_path / 'classifier.pth'
    torch.save(dict(state_dict=classifier.state_dict()), ckpt)

    net_cfg = Config.fromfile(str(path.parent / pipeline.refine.net))
    net_cfg.model.backbone.init_cfg = dict(type='Pretrained', checkpoint=str(ckpt),
                                           prefix='backbone.')
    net = _build(net_cfg, 'mmseg')
    net.init_weights()
    expected = classifier.backbone.state_dict()
    loaded = net.backbone.state_dict()
    assert loaded.keys() == expected.keys()
    for key, value in expected.items():
        torch.testing.assert_close(loaded[key], value, msg=key)
