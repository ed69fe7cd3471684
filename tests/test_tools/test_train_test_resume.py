"""tools/train.py, --resume and tools/test.py on a tiny synthetic run (real Runner, real files)."""
import re

import torch

from tests.conftest import run_tool, tiny_cls_options

CONFIG = 'configs/cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


def test_train_resume_then_test(synthetic_root, tmp_path):
    work = tmp_path / 'work'
    opts = tiny_cls_options(synthetic_root) + ['train_cfg.val_interval=1']
    run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--cfg-options', *opts,
             'train_cfg.max_epochs=1')
    assert (work / 'epoch_1.pth').is_file()
    ckpt1 = torch.load(work / 'epoch_1.pth', weights_only=False)
    assert ckpt1['meta']['epoch'] == 1

    proc = run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--resume',
                    '--cfg-options', *opts, 'train_cfg.max_epochs=2')
    log = proc.stdout + proc.stderr
    assert re.search(r'resumed epoch: 1, iter: 2', log), log[-3000:]
    ckpt2 = torch.load(work / 'epoch_2.pth', weights_only=False)
    assert ckpt2['meta']['epoch'] == 2 and ckpt2['meta']['iter'] == 4
    # the losses of the HFPL config reach the log by name
    assert 'loss_isl' in log and 'loss_fsl' in log
    assert re.search(r'cam/J: \d', log)

    # testing a classifier writes the pseudo-labels of its training images, scored with J / F
    proc = run_tool('tools/test.py', CONFIG, str(work / 'epoch_2.pth'), '--work-dir',
                    str(tmp_path / 'test'), '--cfg-options', *opts)
    assert re.search(r'pseudo/J: \d+\.\d+  pseudo/F: \d+\.\d+', proc.stdout + proc.stderr)
    assert len(list((tmp_path / 'test' / 'pseudo_labels' / 'labels').glob('*.png'))) == 16


def test_resume_from_explicit_checkpoint(synthetic_root, tmp_path):
    work = tmp_path / 'work'
    opts = tiny_cls_options(synthetic_root) + ['train_cfg.val_interval=5']
    run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--cfg-options', *opts,
             'train_cfg.max_epochs=1')
    proc = run_tool('tools/train.py', CONFIG, '--work-dir', str(tmp_path / 'other'), '--resume',
                    str(work / 'epoch_1.pth'), '--cfg-options', *opts, 'train_cfg.max_epochs=2')
    assert 'resumed epoch: 1' in proc.stdout + proc.stderr
    assert (tmp_path / 'other' / 'epoch_2.pth').is_file()


def test_bad_input_is_named(synthetic_root, tmp_path):
    opts = tiny_cls_options(synthetic_root)
    proc = run_tool('tools/train.py', CONFIG, '--work-dir', str(tmp_path), '--cfg-options', *opts,
                    'model.head.type=NoSuchHead', check=False)
    assert proc.returncode != 0
    assert 'NoSuchHead' in proc.stderr and CONFIG in proc.stderr

    proc = run_tool('tools/train.py', 'configs/cam/cam_r50-d16_1xb16-5e_voc12aug-512x512.py',
                    '--work-dir', str(tmp_path), '--cfg-options',
                    'train_dataloader.dataset.data_root=/nonexistent/voc', check=False)
    assert proc.returncode != 0
    assert 'train_dataloader.dataset.data_root' in proc.stderr and '/nonexistent/voc' in proc.stderr

    proc = run_tool('tools/test.py', CONFIG, str(tmp_path / 'missing.pth'), check=False)
    assert proc.returncode != 0 and 'missing.pth' in proc.stderr

    proc = run_tool('tools/train.py', CONFIG, '--resume', str(tmp_path / 'gone.pth'), check=False)
    assert proc.returncode != 0 and 'gone.pth' in proc.stderr
