"""Crashes, wrong files and divergence through the tools (issue #17): a kill-and-resume run
equals the uninterrupted one, resume falls back past a 0-byte checkpoint and a dangling
``last_checkpoint``, testing loads strictly, and a NaN training stops loudly without saving.
(Crafted pickles: tests/test_utils/test_checkpoint.py; the work-dir lock:
tests/test_engine/test_runner/test_hfpl_runner.py.)"""
import pytest
import torch

from tests.conftest import ROOT, run_tool, tiny_cls_options

CONFIG = 'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


def _opts(root):
    # 2 epochs of 2 iterations, validated each epoch; one persistent worker, as the configs
    # have (HFPLRunner makes epoch-based training workers non-persistent and reseeds them)
    return tiny_cls_options(root) + [
        'train_cfg.max_epochs=2', 'train_cfg.val_interval=1', 'train_dataloader.num_workers=1',
        'train_dataloader.persistent_workers=True']


def _weights(path):
    return torch.load(path, weights_only=True)['state_dict']


def _assert_same_weights(a, b):
    wa, wb = _weights(a), _weights(b)
    assert wa.keys() == wb.keys()
    assert all(torch.equal(wa[k], wb[k]) for k in wa), max(
        float((wa[k].float() - wb[k].float()).abs().max()) for k in wa)


@pytest.fixture(scope='module')
def trained(synthetic_root, tmp_path_factory):
    """An uninterrupted 2-epoch training: its epoch_1.pth / epoch_2.pth."""
    work = tmp_path_factory.mktemp('uninterrupted')
    run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--cfg-options',
             *_opts(synthetic_root))
    return work


def test_killed_training_resumes_to_the_uninterrupted_weights(trained, synthetic_root, tmp_path):
    killing = tmp_path / 'kill.py'
    killing.write_text(
        f"_base_ = '{ROOT / CONFIG}'\n"
        "custom_imports = dict(imports=['hfpl_mm', 'tests.test_apis.kill_hook'])\n"
        "custom_hooks = [dict(type='SyncBuffersHook'), dict(type='ReseedHook'), "
        f"dict(type='KillOnceHook', marker='{tmp_path / 'mark'}', train_iter=3)]\n")
    work = tmp_path / 'work'
    proc = run_tool('tools/train.py', str(killing), '--work-dir', str(work), '--cfg-options',
                    *_opts(synthetic_root), check=False)
    assert proc.returncode == -9 and (work / 'epoch_1.pth').is_file()
    proc = run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--resume',
                    '--cfg-options', *_opts(synthetic_root))
    assert 'resumed epoch: 1, iter: 2' in proc.stdout + proc.stderr
    _assert_same_weights(work / 'epoch_2.pth', trained / 'epoch_2.pth')
    # written through temporary files (none left), old checkpoints deleted after the new one
    assert not list(trained.glob('.*.tmp')) and not list(work.glob('.*.tmp'))
    assert (trained / 'last_checkpoint').read_text() == str(trained / 'epoch_2.pth')


def test_resume_falls_back_past_empty_and_dangling_checkpoints(trained, synthetic_root,
                                                               tmp_path):
    work = tmp_path / 'work'
    work.mkdir()
    (work / 'epoch_1.pth').write_bytes((trained / 'epoch_1.pth').read_bytes())
    (work / 'epoch_2.pth').write_bytes(b'')  # killed while saving (before atomic writes)
    (work / 'last_checkpoint').write_text(str(work / 'epoch_3.pth'))  # names a missing file
    proc = run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--resume',
                    '--cfg-options', *_opts(synthetic_root))
    log = proc.stdout + proc.stderr
    assert f'names {work / "epoch_3.pth"}, which does not exist' in log
    assert f'{work / "epoch_2.pth"}: cannot read checkpoint' in log and 'empty' in log
    assert f'resumed from {work / "epoch_1.pth"}' in log
    assert 'resumed epoch: 1, iter: 2' in log
    _assert_same_weights(work / 'epoch_2.pth', trained / 'epoch_2.pth')
    assert (work / 'last_checkpoint').read_text() == str(work / 'epoch_2.pth')


def test_testing_loads_strictly(trained, synthetic_root, tmp_path):
    ckpt = torch.load(trained / 'epoch_2.pth', weights_only=True)
    ckpt['state_dict']['head.classifier.weight'] = torch.zeros(3, 128, 1, 1)  # another head
    del ckpt['state_dict']['backbone.layer4.0.conv1.weight']
    torch.save(ckpt, tmp_path / 'other.pth')
    proc = run_tool('tools/test.py', CONFIG, str(tmp_path / 'other.pth'), '--work-dir',
                    str(tmp_path / 'test'), '--cfg-options', *tiny_cls_options(synthetic_root),
                    check=False)
    assert proc.returncode != 0
    assert 'other.pth does not fit the model' in proc.stderr
    assert 'head.classifier.weight checkpoint (3, 128, 1, 1) vs model (6, 128, 1, 1)' in \
        proc.stderr
    assert 'missing in the checkpoint (1): backbone.layer4.0.conv1.weight' in proc.stderr
    assert not (tmp_path / 'test' / 'pseudo_labels').exists()


def test_nan_training_stops_loudly_without_a_checkpoint(synthetic_root, tmp_path):
    work = tmp_path / 'work'
    proc = run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--cfg-options',
                    *tiny_cls_options(synthetic_root), 'optim_wrapper.optimizer.lr=1e20',
                    'custom_hooks.2.max_weight=None', check=False)
    assert proc.returncode != 0
    assert 'training diverged: loss is not finite (nan)' in proc.stderr
    assert 'Last good checkpoint: none saved yet' in proc.stderr
    assert not list(work.glob('*.pth'))
