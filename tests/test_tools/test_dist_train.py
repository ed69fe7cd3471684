"""tools/dist_train.sh: two gloo processes on the CPU end with identical weights."""
import os
import subprocess
from pathlib import Path

import torch

from tests.conftest import ROOT, tiny_cls_options

CONFIG = 'configs/cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


def test_dist_train_two_ranks_identical(synthetic_root, tmp_path):
    work, dump = tmp_path / 'work', tmp_path / 'weights'
    config = tmp_path / 'tiny_dist.py'
    config.write_text(f"_base_ = '{ROOT / CONFIG}'\n"
                      f"custom_hooks = [dict(type='SyncBuffersHook'),\n"
                      f"                dict(type='WeightSyncCheckHook', save_dir='{dump}')]\n")
    opts = tiny_cls_options(synthetic_root, batch_size=4) + [
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=5', 'env_cfg.dist_cfg.backend=gloo'
    ]
    env = dict(os.environ, PORT='29533', OMP_NUM_THREADS='1', PYTHON=str(Path(os.sys.executable)))
    proc = subprocess.run(['bash', 'tools/dist_train.sh', str(config), '2', '--work-dir', str(work),
                           '--cfg-options', *opts], cwd=ROOT, env=env, capture_output=True,
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
