"""Refinement-stage configs: every one builds its model (the pipelines' wiring of them is
tested in tests/test_configs_pipelines.py)."""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import hfpl_mm  # noqa: F401
from tests.conftest import ROOT

REFINE_CONFIGS = sorted((ROOT / 'configs' / 'refine').glob('*.py'))


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
