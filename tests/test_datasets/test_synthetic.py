"""Tests of the synthetic VOC-style data generator (the project's default data)."""
import json
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hfpl_mm.datasets.class_names import PALETTE_256, VOC_PALETTE
from hfpl_mm.datasets.synthetic import (SYNTHETIC_CLASSES, SYNTHETIC_PALETTE,
                                        ensure_synthetic_voc, generate_synthetic_voc,
                                        render_sample, synthetic_classes)

REPO = Path(__file__).resolve().parents[2]
SMALL = dict(num_train=6, num_val=2, image_size=48, seed=3)


def _files(root: Path) -> dict:
    """Relative path -> bytes of every file under ``root``."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob('*'))
            if p.is_file()}


def _read_set(root: Path):
    """(ids, images, masks, cls_labels, meta) of a generated set."""
    seg = root / 'ImageSets' / 'Segmentation'
    ids = [i for s in ('train', 'val') for i in (seg / f'{s}.txt').read_text().split()]
    images = {i: np.array(Image.open(root / 'JPEGImages' / f'{i}.jpg')) for i in ids}
    masks = {i: Image.open(root / 'SegmentationClass' / f'{i}.png') for i in ids}
    labels = json.loads((root / 'cls_labels.json').read_text())
    meta = json.loads((root / 'meta.json').read_text())
    return ids, images, masks, labels, meta


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    """A 60 + 20 image set at the default size, generated once for the module."""
    root = tmp_path_factory.mktemp('synthetic')
    summary = generate_synthetic_voc(root, num_train=60, num_val=20, seed=0)
    return root, summary


def test_constants():
    assert len(SYNTHETIC_CLASSES) == 6 and len(set(SYNTHETIC_CLASSES)) == 6
    assert SYNTHETIC_PALETTE == VOC_PALETTE[:7]
    assert synthetic_classes(6) == SYNTHETIC_CLASSES
    assert len(synthetic_classes(8)) == 8
    with pytest.raises(ValueError):
        synthetic_classes(9)


def test_deterministic(tmp_path):
    generate_synthetic_voc(tmp_path / 'a', **SMALL)
    generate_synthetic_voc(tmp_path / 'b', **SMALL)
    generate_synthetic_voc(tmp_path / 'c', **dict(SMALL, seed=4))
    a, b, c = (_files(tmp_path / k) for k in 'abc')
    assert a == b
    assert a.keys() == c.keys()
    jpgs = [k for k in a if k.endswith('.jpg')]
    assert all(a[k] != c[k] for k in jpgs)


def test_layout_and_formats(dataset):
    root, summary = dataset
    ids, images, masks, labels, meta = _read_set(root)
    seg = root / 'ImageSets' / 'Segmentation'
    assert (seg / 'trainaug.txt').read_text() == (seg / 'train.txt').read_text()
    assert len(ids) == 80 and summary['num_images'] == 80
    assert meta['classes'] == list(SYNTHETIC_CLASSES)
    assert meta['palette'] == SYNTHETIC_PALETTE
    assert meta['params']['image_size'] == [96, 96]
    assert set(labels) == set(ids)
    for i in ids:
        assert images[i].shape == (96, 96, 3) and images[i].dtype == np.uint8
        assert masks[i].mode == 'P'
        assert masks[i].getpalette()[:3 * 256] == [v for rgb in PALETTE_256 for v in rgb]
        arr = np.array(masks[i])
        values = set(np.unique(arr).tolist())
        assert values <= set(range(7)) | {255}
        assert 255 in values  # the void band
        present = sorted(v - 1 for v in values if 0 < v < 255)
        assert labels[i] == present and present  # every image has a visible object


def test_several_objects_and_classes(dataset):
    _, summary = dataset
    _, _, _, labels, _ = _read_set(dataset[0])
    per_image = [len(v) for v in labels.values()]
    assert np.mean(per_image) > 1.5
    assert max(per_image) == 3 and min(per_image) == 1
    assert summary['objects_per_image'] > 2
    assert all(n > 0 for n in summary['images_per_class'].values())


def test_occlusion_present():
    infos = [render_sample(np.random.default_rng(i))[2] for i in range(20)]
    assert sum(info['occluded'] for info in infos) > 0
    assert all(1 <= info['objects'] <= 4 for info in infos)


def test_colour_edges_follow_mask_borders(dataset):
    _, images, masks, _, _ = _read_set(dataset[0])
    on_border, elsewhere, hits = [], [], 0
    for i, img in images.items():
        gy, gx = np.gradient(img.astype(np.float32), axis=(0, 1))
        mag = np.sqrt((gx ** 2 + gy ** 2).sum(-1))
        band = np.array(masks[i]) == 255
        on_border.append(mag[band].mean())
        elsewhere.append(mag[~band].mean())
        hits += on_border[-1] > 1.5 * elsewhere[-1]
    assert np.mean(on_border) > 2 * np.mean(elsewhere)
    assert hits >= 0.8 * len(images)  # most, not all: some borders are low-contrast


def test_non_square_and_no_void(tmp_path):
    generate_synthetic_voc(tmp_path, num_train=3, num_val=1, image_size=(40, 64), void_width=0,
                           num_classes=3)
    ids, images, masks, _, meta = _read_set(tmp_path)
    assert meta['classes'] == list(SYNTHETIC_CLASSES[:3])
    for i in ids:
        assert images[i].shape == (40, 64, 3)
        assert set(np.unique(np.array(masks[i])).tolist()) <= {0, 1, 2, 3}


def test_ensure_idempotent_and_regenerates(tmp_path):
    first = ensure_synthetic_voc(tmp_path, **SMALL)
    assert first['generated']
    stamp = {p: p.stat().st_mtime_ns for p in tmp_path.rglob('*') if p.is_file()}
    second = ensure_synthetic_voc(tmp_path, **SMALL)
    assert not second['generated']
    assert {p: p.stat().st_mtime_ns for p in stamp} == stamp
    assert second['num_images'] == first['num_images']

    # fewer images: regenerated, stale files of the larger set removed
    third = ensure_synthetic_voc(tmp_path, **dict(SMALL, num_train=4))
    assert third['generated']
    assert sorted(p.stem for p in (tmp_path / 'JPEGImages').iterdir()) == \
        [f'train_{i:05d}' for i in range(4)] + ['val_00000', 'val_00001']
    assert json.loads((tmp_path / 'meta.json').read_text())['params']['num_train'] == 4

    # an interrupted run (meta.json missing) or a lost file is not taken as complete
    (tmp_path / 'meta.json').unlink()
    assert ensure_synthetic_voc(tmp_path, **dict(SMALL, num_train=4))['generated']
    (tmp_path / 'JPEGImages' / 'val_00001.jpg').unlink()
    assert ensure_synthetic_voc(tmp_path, **dict(SMALL, num_train=4))['generated']
    assert (tmp_path / 'JPEGImages' / 'val_00001.jpg').is_file()


def test_invalid_parameters(tmp_path):
    with pytest.raises(ValueError):
        generate_synthetic_voc(tmp_path, image_size=8)
    with pytest.raises(ValueError):
        generate_synthetic_voc(tmp_path, num_classes=1)
    with pytest.raises(TypeError):
        ensure_synthetic_voc(tmp_path, colour='red')


def test_cli(tmp_path, monkeypatch, capsys):
    out = tmp_path / 'syn'
    monkeypatch.setattr(sys, 'argv', ['synthetic.py', '--out', str(out), '--num-train', '3',
                                      '--num-val', '1', '--size', '32', '40', '--seed', '1'])
    runpy.run_path(str(REPO / 'tools' / 'dataset_converters' / 'synthetic.py'),
                   run_name='__main__')
    summary = json.loads(capsys.readouterr().out)
    assert summary['num_images'] == 4 and summary['generated']
    assert json.loads((out / 'meta.json').read_text())['params']['image_size'] == [32, 40]
