"""Everything the configs name resolves from the scope they use (mmengine's registry lookup:
the default scope's registry, then its parents); the subpackages export their public classes, and
the losses import without mmcv / mmseg / mmpretrain."""
import pytest
from mmengine.registry import DefaultScope

import hfpl_mm  # noqa: F401
from tests.conftest import ROOT


@pytest.mark.parametrize('scope', ['mmpretrain', 'mmseg'])
def test_losses_metrics_hooks_from_both_scopes(scope):
    from mmengine.registry import HOOKS, METRICS, MODELS
    with DefaultScope.overwrite_default_scope(scope):
        reg = MODELS if scope == 'mmengine' else __import__(f'{scope}.registry',
                                                             fromlist=['MODELS']).MODELS
        for name in ('BinomialISL', 'MaskedFSL'):
            assert reg.get(name) is not None, name
        metrics = __import__(f'{scope}.registry', fromlist=['METRICS']).METRICS
        hooks = __import__(f'{scope}.registry', fromlist=['HOOKS']).HOOKS
        for name in ('JFMetric', 'CAMMetric'):
            assert metrics.get(name) is not None, name
        assert hooks.get('WeightSyncCheckHook') is not None
    assert MODELS.get('BinomialISL') and METRICS.get('JFMetric') and HOOKS.get(
        'WeightSyncCheckHook')


def test_classifier_side_modules():
    from mmpretrain.registry import DATASETS, MODELS
    for name in ('CAMHead', 'CAMClassifier'):
        assert MODELS.get(name) is not None
    for name in ('VOCClsDataset', 'COCOClsDataset', 'SyntheticClsDataset'):
        assert DATASETS.get(name) is not None


def test_checkpoint_loader_is_the_safe_local_loader(tmp_path):
    import numpy as np
    import torch
    from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

    from hfpl_mm.utils.checkpoint import to_safe
    path = tmp_path / 'ckpt.pth'
    torch.save({'meta': to_safe({'arr': np.arange(3)}), 'state_dict': {}}, path)
    assert CheckpointLoader._get_checkpoint_loader(str(path)).__module__ == \
        'hfpl_mm.utils.checkpoint'
    assert _load_checkpoint(str(path))['meta']['arr'].tolist() == [0, 1, 2]
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        _load_checkpoint(str(tmp_path / 'nope.pth'))


def test_public_classes_from_the_subpackages():
    from hfpl_mm.datasets import LoadCAMs, SyntheticSegDataset, VOCClsDataset
    from hfpl_mm.engine import CAMVisualizationHook, ResumableTestLoop
    from hfpl_mm.evaluation import CAMMetric, JFMetric, PseudoLabelMetric
    from hfpl_mm.models import (IRN, SEAM, AffinityNet, BinomialISL, CAMClassifier, CAMHead,
                                DeepLabV2Head, MaskedFSL, ResNet38d)
    from mmpretrain.registry import MODELS as CLS_MODELS
    from mmseg.registry import MODELS as SEG_MODELS
    from mmseg.registry import TRANSFORMS
    assert CLS_MODELS.get('CAMHead') is CAMHead and CLS_MODELS.get('SEAM') is SEAM
    assert CLS_MODELS.get('CAMClassifier') is CAMClassifier
    assert CLS_MODELS.get('ResNet38d') is ResNet38d
    assert SEG_MODELS.get('DeepLabV2Head') is DeepLabV2Head and SEG_MODELS.get('IRN') is IRN
    assert SEG_MODELS.get('AffinityNet') is AffinityNet
    assert SEG_MODELS.get('BinomialISL') is BinomialISL
    assert CLS_MODELS.get('MaskedFSL') is MaskedFSL
    assert TRANSFORMS.get('LoadCAMs') is LoadCAMs
    assert all(cls is not None for cls in (SyntheticSegDataset, VOCClsDataset, CAMMetric,
                                           JFMetric, PseudoLabelMetric, CAMVisualizationHook,
                                           ResumableTestLoop))


def test_losses_without_mmcv_mmseg_mmpretrain():
    """On a machine with torch and mmengine only, ``hfpl_mm.models.losses`` imports and its
    losses build from the registry: our import graph reaches no mmcv / mmseg / mmpretrain."""
    import subprocess
    import sys
    code = '''
import sys
for name in ('mmcv', 'mmseg', 'mmpretrain'):
    sys.modules[name] = None  # absent: find_spec gives None and any import raises ImportError

import torch
from mmengine.registry import MODELS

import hfpl_mm
import hfpl_mm.models.losses
from hfpl_mm.models import BinomialISL, MaskedFSL

assert not hfpl_mm._FULL_STACK
isl = MODELS.build(dict(type='BinomialISL', num_samples=4, lam=0.2))
assert type(isl) is BinomialISL and isinstance(MODELS.build(dict(type='MaskedFSL')), MaskedFSL)
print(float(isl(torch.randn(2, 3, 5, 5), torch.ones(2, 3))))
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('mmcv', 'mmseg', 'mmpretrain')
               and sys.modules[m] is not None)
ours = sorted(m for m in sys.modules if m.startswith('hfpl_mm.')
              and not m.startswith(('hfpl_mm.models.losses', 'hfpl_mm.utils')))
print(heavy, ours)
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         timeout=300, cwd=str(ROOT))
    assert out.returncode == 0, out.stderr
    loss, modules = out.stdout.split('\n', 1)
    assert float(loss) > 0
    assert modules.strip() == "[] ['hfpl_mm.models']"
