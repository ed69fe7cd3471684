"""The synthetic pretraining set: its classes, determinism, independence from the WSSS images,
and the mmpretrain data set over it."""
import hashlib
import json

import numpy as np
import pytest
from mmpretrain.registry import DATASETS

from hfpl_mm.datasets import SyntheticPretrainDataset
from hfpl_mm.datasets.synthetic import SYNTHETIC_CLASSES, _CLASS_SPECS, _TEXTURES
from hfpl_mm.datasets.synthetic_pretrain import (_SPECS, PRETRAIN_CLASSES,
                                                 ensure_synthetic_pretrain)

SMALL = dict(num_train_per_class=2, num_val_per_class=1, image_size=32)


def _digest(root):
    return {p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob('*.jpg'))}


def test_more_classes_and_textures_than_the_wsss_set():
    assert len(PRETRAIN_CLASSES) == 32 > len(SYNTHETIC_CLASSES)
    textures = {t for s in _SPECS for t in s.textures}
    assert set(_TEXTURES) < textures | {'checker'} and {'grid', 'rings'} <= textures
    assert {n.split('-')[0] for n in PRETRAIN_CLASSES} == {s.name for s in _CLASS_SPECS}
    assert list(PRETRAIN_CLASSES) == sorted(PRETRAIN_CLASSES)


def test_deterministic_resumable_and_seeded(tmp_path):
    first = ensure_synthetic_pretrain(tmp_path / 'a', **SMALL)
    assert first['generated'] and first['classes'] == list(PRETRAIN_CLASSES)
    files = _digest(tmp_path / 'a')
    assert len(files) == 32 * 3
    assert not ensure_synthetic_pretrain(tmp_path / 'a', **SMALL)['generated']
    (tmp_path / 'a' / 'meta.json').unlink()  # an interrupted set is rebuilt, identically
    assert ensure_synthetic_pretrain(tmp_path / 'a', **SMALL)['generated']
    assert _digest(tmp_path / 'a') == files
    other = dict(SMALL, seed=1)
    ensure_synthetic_pretrain(tmp_path / 'b', **other)
    assert _digest(tmp_path / 'b') != files
    # fewer images per class: the extra ones of the larger set are removed
    ensure_synthetic_pretrain(tmp_path / 'a', **dict(SMALL, num_train_per_class=1))
    assert len(_digest(tmp_path / 'a')) == 32 * 2
    meta = json.loads((tmp_path / 'a' / 'meta.json').read_text())
    assert meta['params']['num_train_per_class'] == 1
    with pytest.raises(TypeError, match='unknown'):
        ensure_synthetic_pretrain(tmp_path / 'c', num_images=3)
    with pytest.raises(ValueError, match='image_size'):
        ensure_synthetic_pretrain(tmp_path / 'c', image_size=8)


def test_mmpretrain_dataset(tmp_path):
    ds = DATASETS.build(dict(type='SyntheticPretrainDataset', data_root=str(tmp_path / 'p'),
                             split='train', pretrain_cfg=SMALL, pipeline=[]))
    assert isinstance(ds, SyntheticPretrainDataset)
    assert ds.metainfo['classes'] == PRETRAIN_CLASSES and len(ds) == 64
    labels = np.array([ds.get_data_info(i)['gt_label'] for i in range(len(ds))])
    assert np.bincount(labels).tolist() == [2] * 32
    info = ds.get_data_info(0)
    assert f'/train/{PRETRAIN_CLASSES[info["gt_label"]]}/' in info['img_path']
    val = DATASETS.build(dict(type='SyntheticPretrainDataset', data_root=str(tmp_path / 'p'),
                              split='val', pretrain_cfg=SMALL, pipeline=[]))
    assert len(val) == 32
    with pytest.raises(ValueError, match='split'):
        SyntheticPretrainDataset(str(tmp_path / 'p'), split='test')
