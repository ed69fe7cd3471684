"""LoadCAMs: good and bad CAM files, and its registration in the mmseg scope."""
import numpy as np
import pytest

import hfpl_mm  # noqa: F401
from hfpl_mm.datasets import LoadCAMs


def _write_cams(folder, stem, cams, labels):
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / f'{stem}.npz', cams=cams.astype(np.float16),
                        labels=np.asarray(labels, np.int64))


def test_registered_in_the_mmseg_scope():
    from mmengine.registry import DefaultScope
    from mmseg.registry import TRANSFORMS
    assert TRANSFORMS.get('LoadCAMs') is LoadCAMs
    with DefaultScope.overwrite_default_scope('mmseg'):
        built = TRANSFORMS.build(dict(type='LoadCAMs', cam_dir='cams', power=3))
    assert isinstance(built, LoadCAMs) and built.power == 3.0


def test_load_cams(tmp_path):
    cams = np.random.rand(2, 6, 8).astype(np.float32)
    _write_cams(tmp_path, 'img1', cams, [3, 5])
    results = LoadCAMs(cam_dir=str(tmp_path))(
        dict(img_path='/data/JPEGImages/img1.jpg', ori_shape=(6, 8)))
    assert results['cams'].dtype == np.float32 and results['cams'].shape == (2, 6, 8)
    np.testing.assert_allclose(results['cams'], cams, atol=1e-3)
    assert results['cam_labels'].tolist() == [3, 5]
    squared = LoadCAMs(cam_dir=str(tmp_path), power=2)(
        dict(img_path='/data/JPEGImages/img1.jpg', ori_shape=(6, 8)))['cams']
    np.testing.assert_allclose(squared, results['cams']**2, rtol=1e-6)
    with pytest.raises(ValueError, match='power must be positive'):
        LoadCAMs(power=0)


def test_load_cams_bad_input_names_the_file(tmp_path):
    info = dict(img_path='/data/JPEGImages/img1.jpg', ori_shape=(6, 8))
    with pytest.raises(ValueError, match='cam_dir is not set'):
        LoadCAMs()(dict(info))
    with pytest.raises(FileNotFoundError, match=str(tmp_path / 'img1.npz')):
        LoadCAMs(cam_dir=str(tmp_path))(dict(info))
    (tmp_path / 'img1.npz').write_bytes(b'not a zip file')
    with pytest.raises(ValueError, match=str(tmp_path / 'img1.npz')):
        LoadCAMs(cam_dir=str(tmp_path))(dict(info))
    _write_cams(tmp_path, 'img1', np.zeros((1, 5, 8)), [0])  # another image's size
    with pytest.raises(ValueError, match=r'img1.npz holds cams \(1, 5, 8\)'):
        LoadCAMs(cam_dir=str(tmp_path))(dict(info))


def test_load_cams_with_background_channel(tmp_path):
    """A file with the CAMs' own background (SIPE's IS-CAM) adds ``cam_bg``; one without adds
    nothing; a background of another size names the file."""
    cams, bg = np.random.rand(1, 6, 8), np.random.rand(6, 8)
    tmp_path.mkdir(exist_ok=True)
    np.savez_compressed(tmp_path / 'img1.npz', cams=cams.astype(np.float16),
                        labels=np.asarray([2]), bg=bg.astype(np.float16))
    info = dict(img_path='/data/JPEGImages/img1.jpg', ori_shape=(6, 8))
    results = LoadCAMs(cam_dir=str(tmp_path), power=1.5)(dict(info))
    assert results['cam_bg'].dtype == np.float32
    np.testing.assert_allclose(results['cam_bg'], bg**1.5, atol=2e-3)
    _write_cams(tmp_path, 'img2', cams, [2])
    assert 'cam_bg' not in LoadCAMs(cam_dir=str(tmp_path))(
        dict(info, img_path='/data/img2.jpg'))
    np.savez_compressed(tmp_path / 'img1.npz', cams=cams.astype(np.float16),
                        labels=np.asarray([2]), bg=bg[:5].astype(np.float16))
    with pytest.raises(ValueError, match=r'img1.npz holds a background \(5, 8\)'):
        LoadCAMs(cam_dir=str(tmp_path))(dict(info))
