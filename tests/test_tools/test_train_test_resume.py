"""tools/train.py, --resume and tools/test.py on a tiny synthetic run (real Runner, real files)."""
import json
import re
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from tests.conftest import TINY_SYNTHETIC, run_tool, tiny_cls_options

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


def test_parameter_free_model_tests_without_checkpoint(synthetic_root, tmp_path):
    """Confident labels from CAMs (here: the masks themselves) need no checkpoint; a model with
    parameters does."""
    root = Path(synthetic_root)
    labels = json.loads((root / 'cls_labels.json').read_text())
    ids = (root / 'ImageSets/Segmentation/train.txt').read_text().split()
    cam_dir = tmp_path / 'cams'
    cam_dir.mkdir()
    for img_id in ids:
        gt = np.array(Image.open(root / f'SegmentationClass/{img_id}.png'))
        present = np.asarray(labels[img_id], np.int64)
        cams = np.stack([(gt == c + 1).astype(np.float16) for c in present])
        np.savez_compressed(cam_dir / f'{img_id}.npz', cams=cams, labels=present)
    opts = [f'test_dataloader.dataset.data_root={synthetic_root}',
            'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False',
            f'test_dataloader.dataset.pipeline.1.cam_dir={cam_dir}']
    opts += [f'test_dataloader.dataset.synthetic_cfg.{k}={v}' for k, v in TINY_SYNTHETIC.items()]
    config = 'configs/refine/confident-labels_irn-fg30-bg05_synthetic-96x96.py'
    proc = run_tool('tools/test.py', config, '--work-dir', str(tmp_path / 'work'),
                    '--cfg-options', *opts)
    j = float(re.search(r'confident/J: (\d+\.\d+)', proc.stdout + proc.stderr).group(1))
    assert j > 80  # the masks' own CAMs, smoothed by the CRF
    assert len(list((tmp_path / 'work/pseudo_labels/labels').glob('*.png'))) == len(ids)

    proc = run_tool('tools/test.py', CONFIG, '--work-dir', str(tmp_path / 'cls'), '--cfg-options',
                    *tiny_cls_options(synthetic_root), check=False)
    assert proc.returncode != 0 and 'give a checkpoint' in proc.stderr
