"""tools/dist_train.sh and dist_test.sh: two gloo processes on the CPU train identical weights, and
a two-rank test gives the single-process figures and writes every pseudo-label."""
import os
import socket
import subprocess
import sys

import torch

from tests.conftest import ROOT, run_tool, tiny_cls_options

CONFIG = 'configs/cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def metric_line(log: str) -> str:
    """The metrics of the last ``Epoch(test)`` line (time fields dropped)."""
    line = [ln for ln in log.splitlines() if 'pseudo/J:' in ln][-1]
    return line.split('pseudo/J:')[1].split('data_time')[0].strip()


def dist_env() -> dict:
    return dict(os.environ, PORT=str(free_port()), OMP_NUM_THREADS='1',
                PYTHON=sys.executable)


def test_dist_train_two_ranks_identical(synthetic_root, tmp_path):
    work, dump = tmp_path / 'work', tmp_path / 'weights'
    config = tmp_path / 'tiny_dist.py'
    config.write_text(f"_base_ = '{ROOT / CONFIG}'\n"
                      f"custom_hooks = [dict(type='SyncBuffersHook'),\n"
                      f"                dict(type='WeightSyncCheckHook', save_dir='{dump}')]\n")
    opts = tiny_cls_options(synthetic_root, batch_size=4) + [
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=5', 'env_cfg.dist_cfg.backend=gloo'
    ]
    proc = subprocess.run(['bash', 'tools/dist_train.sh', str(config), '2', '--work-dir', str(work),
                           '--cfg-options', *opts], cwd=ROOT, env=dist_env(), capture_output=True,
                          text=True, timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-5000:]
    assert 'weights identical on all 2 ranks' in log
    rank0 = torch.load(dump / 'rank0_weights.pth', weights_only=True)
    rank1 = torch.load(dump / 'rank1_weights.pth', weights_only=True)
    assert rank0.keys() == rank1.keys()
    for key in rank0:
        assert torch.equal(rank0[key], rank1[key]), key
    # rank 0's checkpoint holds the same weights
    saved = torch.load(work / 'epoch_1.pth', weights_only=False)['state_dict']
    assert torch.equal(saved['head.classifier.weight'], rank1['head.classifier.weight'])

    # the checkpoint tested on two ranks: the single-process figures, every pseudo-label written
    ckpt, opts = str(work / 'epoch_1.pth'), tiny_cls_options(synthetic_root, batch_size=4)
    single = run_tool('tools/test.py', CONFIG, ckpt, '--work-dir', str(tmp_path / 'test1'),
                      '--cfg-options', *opts)
    proc = subprocess.run(['bash', 'tools/dist_test.sh', CONFIG, ckpt, '2', '--work-dir',
                           str(tmp_path / 'test2'), '--cfg-options', *opts,
                           'env_cfg.dist_cfg.backend=gloo'], cwd=ROOT, env=dist_env(),
                          capture_output=True, text=True, timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-5000:]
    assert 'pseudo/num_scored: 16' in log
    assert metric_line(log) == metric_line(single.stdout + single.stderr)
    labels = sorted(p.name for p in (tmp_path / 'test2' / 'pseudo_labels' / 'labels').iterdir())
    assert labels == [f'train_{i:05d}.png' for i in range(16)]
