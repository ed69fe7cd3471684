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


@pytest.fixture(scope='module')
def killed_and_resumed(synthetic_root, tmp_path_factory):
    """The same training SIGKILLed in epoch 2 (after epoch_1.pth), then, as if it had also been
    killed while saving epoch 2 without atomic writes, a 0-byte epoch_2.pth and a
    last_checkpoint naming a missing epoch_3.pth; then resumed. Returns (work dir, log)."""
    tmp_path = tmp_path_factory.mktemp('killed')
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
    assert not list(work.glob('.*.tmp'))  # checkpoints go through temporary files
    (work / 'epoch_2.pth').write_bytes(b'')
    (work / 'last_checkpoint').write_text(str(work / 'epoch_3.pth'))
    proc = run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--resume',
                    '--cfg-options', *_opts(synthetic_root))
    return work, proc.stdout + proc.stderr


def test_killed_training_resumes_to_the_uninterrupted_weights(trained, killed_and_resumed):
    work, log = killed_and_resumed
    assert 'resumed epoch: 1, iter: 2' in log
    _assert_same_weights(work / 'epoch_2.pth', trained / 'epoch_2.pth')
    assert not list(trained.glob('.*.tmp')) and not list(work.glob('.*.tmp'))
    assert (trained / 'last_checkpoint').read_text() == str(trained / 'epoch_2.pth')


def test_resume_falls_back_past_empty_and_dangling_checkpoints(killed_and_resumed):
    work, log = killed_and_resumed
    assert f'names {work / "epoch_3.pth"}, which does not exist' in log
    assert f'{work / "epoch_2.pth"}: cannot read checkpoint' in log and 'empty' in log
    assert f'resumed from {work / "epoch_1.pth"}' in log
    assert (work / 'last_checkpoint').read_text() == str(work / 'epoch_2.pth')
    assert (work / 'epoch_2.pth').stat().st_size > 0


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
