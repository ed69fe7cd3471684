"""Checkpoints load with ``weights_only=True``: a crafted pickle runs nothing and is refused
with its file and globals named; hfpl_mm's own checkpoints (message hub in safe form) load."""
import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

from hfpl_mm.utils.checkpoint import (UNSAFE_LOAD_ENV, CheckpointReadError,
                                      UnsafeCheckpointError, from_safe, to_safe)


class _RunsCode:
    """Unpickling this calls os.system (here: it creates a marker file)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


def test_crafted_pickle_runs_nothing_and_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(UNSAFE_LOAD_ENV, raising=False)
    marker, path = tmp_path / 'executed', tmp_path / 'evil.pth'
    torch.save({'state_dict': {'w': torch.ones(1)}, 'meta': _RunsCode(marker)}, path)
    with pytest.raises(UnsafeCheckpointError) as err:
        _load_checkpoint(str(path))  # what resume, load_from, tools/test.py and Pretrained use
    assert not marker.exists()
    assert str(path) in str(err.value) and 'system' in str(err.value)
    assert '--unsafe-load' in str(err.value)


def test_opt_in_loads_a_foreign_pickle(tmp_path, monkeypatch):
    from fractions import Fraction
    path = tmp_path / 'foreign.pth'
    torch.save({'state_dict': {}, 'meta': {'ratio': Fraction(1, 3)}}, path)
    monkeypatch.delenv(UNSAFE_LOAD_ENV, raising=False)
    with pytest.raises(UnsafeCheckpointError, match='fractions.Fraction'):
        _load_checkpoint(str(path))
    monkeypatch.setenv(UNSAFE_LOAD_ENV, '1')
    assert _load_checkpoint(str(path))['meta']['ratio'] == Fraction(1, 3)


def test_message_hub_round_trips_through_the_safe_form(tmp_path, monkeypatch):
    monkeypatch.delenv(UNSAFE_LOAD_ENV, raising=False)
    buf = HistoryBuffer([0.5, 0.25], [1, 2], max_length=10)
    hub = {'log_scalars': {'train/loss': buf},
           'runtime_info': {'best_score': np.float64(0.75), 'ids': np.arange(3, dtype=np.int16)},
           'resumed_keys': {'train/loss': True}}
    path = tmp_path / 'ckpt.pth'
    torch.save({'state_dict': {'w': torch.arange(3.)}, 'message_hub': to_safe(hub),
                'meta': to_safe({'epoch': 2})}, path)
    with pytest.raises(pickle.UnpicklingError):  # mmengine's raw form needs builtins.getattr
        torch.save({'message_hub': hub}, tmp_path / 'raw.pth')
        torch.load(tmp_path / 'raw.pth', weights_only=True)
    loaded = _load_checkpoint(str(path))
    back = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(back, HistoryBuffer) and back.max_length == 10
    assert back.data[0].tolist() == [0.5, 0.25] and back.data[1].tolist() == [1, 2]
    info = loaded['message_hub']['runtime_info']
    assert info['best_score'] == 0.75 and info['ids'].dtype == np.int16
    assert from_safe(to_safe(hub))['resumed_keys'] == hub['resumed_keys']


@pytest.mark.parametrize('content', [b'', b'PK\x03\x04 truncated'])
def test_damaged_file_is_an_unreadable_checkpoint(tmp_path, content):
    path = tmp_path / 'epoch_3.pth'
    path.write_bytes(content)
    with pytest.raises(CheckpointReadError, match='epoch_3.pth'):
        _load_checkpoint(str(path))
