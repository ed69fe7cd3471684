"""HFPLRunner's pieces on a real (model-only) Runner: strict / warning loads, resume candidates,
and DivergenceHook's refusals (saving, resuming, tools: tests/test_tools/test_reliability.py)."""
import logging
import logging.handlers
import os
import subprocess
import sys

import pytest
import torch
from mmengine.model import BaseModel

from hfpl_mm.engine import (CheckpointMismatchError, DivergenceHook, HFPLRunner,
                            NonFiniteModelError)
from hfpl_mm.engine.runner.hfpl_runner import resume_candidates, state_dict_mismatches
from hfpl_mm.utils.lock import LOCK_FILE, WorkDirLockedError
from tests.test_utils.test_lock import HOLD


class _Net(BaseModel):

    def __init__(self, out=3):
        super().__init__()
        self.fc = torch.nn.Linear(4, out)
        self.bn = torch.nn.BatchNorm1d(out)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return self.bn(self.fc(inputs))


def _runner(tmp_path, name='r'):
    return HFPLRunner(model=_Net(), work_dir=str(tmp_path / name), experiment_name=name)


def test_state_dict_mismatches():
    net = _Net()
    own = net.state_dict()
    assert state_dict_mismatches(net, {'module.' + k: v for k, v in own.items()}) == ([], [], [])
    missing, unexpected, shapes = state_dict_mismatches(net, {})
    assert set(missing) == set(own) - {'bn.num_batches_tracked'} and not unexpected
    other = dict(own, **{'fc.weight': torch.zeros(5, 4), 'extra': torch.ones(1)})
    assert state_dict_mismatches(net, other) == ([], ['extra'], [('fc.weight', (5, 4), (3, 4))])


def test_strict_test_load_and_fine_tuning_warning(tmp_path):
    path = tmp_path / 'other.pth'
    torch.save({'state_dict': dict(_Net(out=5).state_dict())}, path)
    runner = _runner(tmp_path)
    handler = logging.handlers.BufferingHandler(capacity=100)
    runner.logger.addHandler(handler)
    runner.load_checkpoint(str(path))  # fine-tuning: what fits loads, the rest is listed
    warned = [r.getMessage() for r in handler.buffer if r.levelno == logging.WARNING]
    assert any('fc.weight checkpoint (5, 4) vs model (3, 4)' in w for w in warned)
    runner._strict_load = True  # as in test() / val()
    with pytest.raises(CheckpointMismatchError, match=r'other\.pth does not fit the model'):
        runner.load_checkpoint(str(path))
    torch.save({'state_dict': {}}, tmp_path / 'empty.pth')
    with pytest.raises(CheckpointMismatchError, match=r'missing in the checkpoint \(6\)'):
        runner.load_checkpoint(str(tmp_path / 'empty.pth'))


def test_resume_candidates_newest_first(tmp_path):
    for name in ('epoch_2.pth', 'epoch_10.pth', 'epoch_9.pth', 'best_x_epoch_10.pth', 'a.pth'):
        (tmp_path / name).write_bytes(b'x')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_9.pth'))
    found, skipped = resume_candidates(str(tmp_path))
    assert [os.path.basename(p) for p in found] == ['epoch_9.pth', 'epoch_10.pth', 'epoch_2.pth']
    assert not skipped
    (tmp_path / 'last_checkpoint').write_text('')
    found, skipped = resume_candidates(str(tmp_path))
    assert [os.path.basename(p) for p in found] == ['epoch_10.pth', 'epoch_9.pth', 'epoch_2.pth']
    assert skipped == [f'{tmp_path / "last_checkpoint"} is empty']


def test_divergence_hook_names_loss_and_last_checkpoint(tmp_path):
    runner = _runner(tmp_path)
    runner.message_hub.update_info('last_ckpt', '/w/epoch_3.pth')
    hook = DivergenceHook()
    hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(0.7)})
    with pytest.raises(NonFiniteModelError, match=r'loss_isl is not finite \(inf\) at epoch 1, '
                                                  r'iteration 1.*Last good checkpoint: '
                                                  r'/w/epoch_3\.pth'):
        hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(0.7),
                                                  'loss_isl': torch.tensor(float('inf'))})
    with torch.no_grad():
        runner.model.fc.weight.fill_(1e7)
    with pytest.raises(NonFiniteModelError, match=r'weights exploded \(max \|w\| = 1e\+07'):
        hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(0.7)})
    with pytest.raises(ValueError, match='max_loss'):
        DivergenceHook(max_loss=-1)


def test_second_run_in_a_locked_work_dir_is_refused(tmp_path):
    work = tmp_path / 'r'
    work.mkdir()
    holder = subprocess.Popen([sys.executable, '-c', HOLD, str(work / LOCK_FILE)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == 'locked'
        with pytest.raises(WorkDirLockedError,
                           match=f'work dir {work} is in use by the other run \\(pid 4242\\)'):
            _runner(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert os.listdir(work) == [LOCK_FILE]  # the refused run wrote no log folder
    runner = _runner(tmp_path)  # the dead holder's lock is gone
    with pytest.raises(WorkDirLockedError, match=r'in use by an mmengine run \(pid'):
        _runner(tmp_path)  # held by `runner` until its train() / val() / test() ends
    runner._release()


def test_non_finite_model_is_never_saved_nor_best(tmp_path):
    from hfpl_mm.engine import SafeCheckpointHook
    runner = _runner(tmp_path)
    runner.message_hub.update_info('last_ckpt', '/w/epoch_1.pth')
    hook = SafeCheckpointHook(interval=1, save_best='acc', rule='greater')
    handler = logging.handlers.BufferingHandler(capacity=100)
    runner.logger.addHandler(handler)
    hook._save_best_checkpoint(runner, {'acc': float('nan')})
    with torch.no_grad():
        runner.model.fc.weight[0, 0] = float('nan')
    hook._save_best_checkpoint(runner, {'acc': 0.9})
    warned = [r.getMessage() for r in handler.buffer if r.levelno == logging.WARNING]
    assert warned == ["best checkpoint not updated: non-finite score ['acc']",
                      'best checkpoint not updated: non-finite weights']
    with pytest.raises(NonFiniteModelError, match=r'non-finite weights at epoch 2: not saved.*'
                                                  r'Last good checkpoint: /w/epoch_1\.pth'):
        hook._save_checkpoint_with_step(runner, 2, {})
    assert not [f for f in os.listdir(runner.work_dir) if f.endswith('.pth')]
    runner._release()
