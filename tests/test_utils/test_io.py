"""Tests of ``hfpl_mm.utils.io``: atomic writes, palette PNGs, label reading, split lists."""
import json
import os

import numpy as np
import pytest
from PIL import Image

from hfpl_mm.datasets.class_names import PALETTE_256, VOC_PALETTE
from hfpl_mm.utils.io import (atomic_write_bytes, dump_json, encode_palette_png, read_id_list,
                              read_label_png, require_path, save_jpeg, save_palette_png,
                              write_id_list)


def _mask() -> np.ndarray:
    """Two VOC classes and a void band."""
    m = np.zeros((24, 32), np.uint8)
    m[2:6, 3:12] = 1
    m[7:11, 9:18] = 20
    m[1, 3:12] = 255
    return m


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_write_bytes(tmp_path):
    path = tmp_path / 'new' / 'dir' / 'file.bin'
    atomic_write_bytes(path, b'first')
    atomic_write_bytes(path, b'second')
    assert path.read_bytes() == b'second'
    assert os.listdir(path.parent) == ['file.bin']  # no temporary file left behind
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()  # not mkstemp's 0600


def test_atomic_write_bytes_keeps_the_old_file_on_failure(tmp_path):
    path = tmp_path / 'file.bin'
    path.write_bytes(b'old')
    with pytest.raises(TypeError):
        atomic_write_bytes(path, 'not bytes')
    assert path.read_bytes() == b'old' and os.listdir(tmp_path) == ['file.bin']


def test_dump_json_sorted_and_deterministic(tmp_path):
    dump_json(tmp_path / 'a.json', {'b': [1], 'a': 2})
    dump_json(tmp_path / 'b.json', {'a': 2, 'b': [1]})
    assert (tmp_path / 'a.json').read_bytes() == (tmp_path / 'b.json').read_bytes()
    assert json.loads((tmp_path / 'a.json').read_text()) == {'a': 2, 'b': [1]}


def test_palette_png_roundtrip(tmp_path):
    m = _mask()
    assert encode_palette_png(m) == encode_palette_png(m.copy())  # deterministic bytes
    save_palette_png(tmp_path / 'm.png', m)
    png = Image.open(tmp_path / 'm.png')
    assert png.mode == 'P' and png.getpalette()[:3 * 256] == sum(PALETTE_256, [])
    np.testing.assert_array_equal(read_label_png(tmp_path / 'm.png'), m)
    with pytest.raises(ValueError, match='2-D'):
        encode_palette_png(np.zeros((2, 2, 2), np.uint8))
    with pytest.raises(ValueError, match='0..255'):
        encode_palette_png(np.full((2, 2), 256))


def test_read_label_png_rgb_and_errors(tmp_path):
    m = _mask()
    rgb = np.array(PALETTE_256, np.uint8)[m]  # a VOC copy re-saved as RGB, void included
    Image.fromarray(rgb).save(tmp_path / 'rgb.png')
    np.testing.assert_array_equal(read_label_png(tmp_path / 'rgb.png', VOC_PALETTE), m)
    with pytest.raises(ValueError, match="mode 'RGB'"):
        read_label_png(tmp_path / 'rgb.png')  # colours without a palette to map them
    rgb[0, 0] = (1, 2, 3)
    Image.fromarray(rgb).save(tmp_path / 'bad.png')
    with pytest.raises(ValueError, match='bad.png'):
        read_label_png(tmp_path / 'bad.png', VOC_PALETTE)
    (tmp_path / 'broken.png').write_bytes(b'not a png')
    with pytest.raises(ValueError, match='broken.png'):
        read_label_png(tmp_path / 'broken.png')
    with pytest.raises(FileNotFoundError, match='missing.png'):
        read_label_png(tmp_path / 'missing.png')


def test_save_jpeg(tmp_path):
    rgb = np.zeros((8, 10, 3), np.uint8)
    rgb[..., 0] = 200
    save_jpeg(tmp_path / 'a.jpg', rgb)
    with Image.open(tmp_path / 'a.jpg') as img:
        assert img.format == 'JPEG' and img.size == (10, 8)
        assert abs(int(np.asarray(img)[4, 5, 0]) - 200) <= 2
    with pytest.raises(ValueError, match='HxWx3'):
        save_jpeg(tmp_path / 'b.jpg', np.zeros((8, 10), np.uint8))
    assert not (tmp_path / 'b.jpg').exists()


def test_id_lists(tmp_path):
    path = tmp_path / 'ImageSets' / 'train.txt'
    write_id_list(path, ['b', 'a'])
    assert path.read_text() == 'b\na\n'
    stamp = path.stat().st_mtime_ns
    write_id_list(path, ['b', 'a'])  # identical content: the file is left untouched
    assert path.stat().st_mtime_ns == stamp
    path.write_text('x 1\n\n  \ny -1\n')  # extra columns and blank lines
    assert read_id_list(path) == ['x', 'y']
    with pytest.raises(FileNotFoundError, match='split list not found: .*val.txt'):
        read_id_list(tmp_path / 'val.txt')


def test_require_path(tmp_path):
    assert require_path(str(tmp_path), 'root') == tmp_path
    with pytest.raises(FileNotFoundError, match='VOC root not found: .*nowhere'):
        require_path(tmp_path / 'nowhere', 'VOC root')
