"""Pseudo-label generation through ResumableTestLoop: files, resumption after an interruption,
bad inputs."""
import hashlib
import re

import numpy as np
import pytest
from PIL import Image

from tests.conftest import run_tool, tiny_cls_options

CONFIG = 'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


@pytest.fixture(scope='module')
def checkpoint(synthetic_root, tmp_path_factory):
    work = tmp_path_factory.mktemp('cls')
    run_tool('tools/train.py', CONFIG, '--work-dir', str(work), '--cfg-options',
             *tiny_cls_options(synthetic_root), 'train_cfg.max_epochs=1',
             'train_cfg.val_interval=5')
    return str(work / 'epoch_1.pth')


def _test(ckpt, root, work, *extra):
    proc = run_tool('tools/test.py', CONFIG, ckpt, '--work-dir', str(work), '--cfg-options',
                    *tiny_cls_options(root), *extra)
    log = proc.stdout + proc.stderr
    metrics = dict(re.findall(r'pseudo/(\w+(?:&\w+)?): ([\d.]+)', log))
    return metrics, log


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_files_and_resume(checkpoint, synthetic_root, tmp_path):
    metrics, _ = _test(checkpoint, synthetic_root, tmp_path)
    out = tmp_path / 'pseudo_labels'
    labels, cams = _digest(out / 'labels'), _digest(out / 'cams')
    assert len(labels) == len(cams) == 16
    label = Image.open(next((out / 'labels').iterdir()))
    assert label.mode == 'P' and set(np.unique(label)) <= set(range(7))
    with np.load(next((out / 'cams').iterdir())) as data:
        assert data['cams'].dtype == np.float16 and data['cams'].max() <= 1.0
        assert data['cams'].shape[0] == len(data['labels'])
    assert (out / 'bg_sweep.json').is_file() and (out / 'bg_sweep.png').is_file()
    assert float(metrics['J']) > 0 and 'sweep_J' in metrics

    # an interrupted run: the first batch (8 images) half written, a stray temp file; the
    # second batch finished and is not recomputed
    for name in sorted(labels)[:4]:
        (out / 'labels' / name).unlink()
    (out / 'cams' / sorted(cams)[6]).unlink()
    (out / 'labels' / '.x.png.tmp').write_bytes(b'partial')
    resumed, log = _test(checkpoint, synthetic_root, tmp_path)
    assert re.search(r'(\d+) images had finished outputs', log).group(1) == '8'
    assert resumed == metrics
    (out / 'labels' / '.x.png.tmp').unlink()
    assert _digest(out / 'labels') == labels and _digest(out / 'cams') == cams


def test_corrupt_label_is_named(checkpoint, synthetic_root, tmp_path):
    _test(checkpoint, synthetic_root, tmp_path)
    victim = sorted((tmp_path / 'pseudo_labels' / 'labels').iterdir())[3]
    victim.write_bytes(b'not a png')
    proc = run_tool('tools/test.py', CONFIG, checkpoint, '--work-dir', str(tmp_path),
                    '--cfg-options', *tiny_cls_options(synthetic_root), check=False)
    assert proc.returncode != 0 and victim.name in proc.stderr
