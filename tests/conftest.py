"""Shared fixtures: a tiny synthetic data set on disk and the options that point configs at it."""
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import List

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
TINY_SYNTHETIC = dict(num_train=16, num_val=8, image_size=64, seed=0)


@pytest.fixture(autouse=True)
def _seed_rngs():
    """Every test starts from the same random state, whatever ran before it: a failure on random
    inputs reproduces with the test alone."""
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)


@pytest.fixture(scope='session')
def synthetic_root(tmp_path_factory) -> str:
    """A tiny synthetic set (16 train / 8 val images, 64x64), generated once per session."""
    from hfpl_mm.datasets.synthetic import ensure_synthetic_voc
    root = tmp_path_factory.mktemp('data') / 'synthetic'
    ensure_synthetic_voc(str(root), **TINY_SYNTHETIC)
    return str(root)


def tiny_cls_options(root: str, batch_size: int = 8) -> List[str]:
    """--cfg-options that run a synthetic classifier config on :func:`synthetic_root` quickly."""
    opts = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [f'{loader}.dataset.data_root={root}', f'{loader}.batch_size={batch_size}',
                 f'{loader}.num_workers=0', f'{loader}.persistent_workers=False']
        opts += [f'{loader}.dataset.synthetic_cfg.{k}={v}' for k, v in TINY_SYNTHETIC.items()]
    return opts + ['default_hooks.logger.interval=1']


def run_tool(*args: str, cwd=ROOT, check: bool = True) -> subprocess.CompletedProcess:
    """Run a tools/ script with this interpreter; output is returned for assertions."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS='1')
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f'{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n'
                             f'{proc.stderr[-5000:]}')
    return proc
