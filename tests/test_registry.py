"""Everything the configs name resolves from the scope they use (mmengine's registry lookup:
the default scope's registry, then its parents)."""
import pytest
from mmengine.registry import DefaultScope

import hfpl_mm  # noqa: F401


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


def test_checkpoint_loader_trusts_local_files(tmp_path):
    import numpy as np
    import torch
    from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint
    path = tmp_path / 'ckpt.pth'
    torch.save({'meta': {'arr': np.arange(3)}, 'state_dict': {}}, path)
    assert CheckpointLoader._get_checkpoint_loader(str(path)).__module__ == \
        'hfpl_mm.utils.checkpoint'
    assert _load_checkpoint(str(path))['meta']['arr'].tolist() == [0, 1, 2]
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        _load_checkpoint(str(tmp_path / 'nope.pth'))
