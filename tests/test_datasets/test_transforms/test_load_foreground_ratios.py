"""LoadForegroundRatios: per-class area fractions of a label PNG (create_fg.py of
allenwu97/Spatial-BCE), bad input, registration in the mmpretrain scope."""
import numpy as np
import pytest

import hfpl_mm  # noqa: F401
from hfpl_mm.datasets.transforms import LoadForegroundRatios
from hfpl_mm.utils.io import save_palette_png


def test_ratios(tmp_path):
    label = np.zeros((4, 5), np.uint8)
    label[0, :] = 3    # class 2: 5 of 20 pixels
    label[1, :2] = 1   # class 0: 2 pixels
    label[3, 4] = 255  # unsure: counted in the area only
    save_palette_png(tmp_path / 'img1.png', label)
    out = LoadForegroundRatios(label_dir=str(tmp_path), num_classes=4)(
        dict(img_path='/data/JPEGImages/img1.jpg'))
    assert out['fg_ratio'].dtype == np.float32
    np.testing.assert_allclose(out['fg_ratio'], [0.1, 0., 0.25, 0.])


def test_bad_input(tmp_path):
    with pytest.raises(ValueError, match='label_dir is not set'):
        LoadForegroundRatios()(dict(img_path='a.jpg'))
    with pytest.raises(FileNotFoundError, match='img9.png'):
        LoadForegroundRatios(label_dir=str(tmp_path))(dict(img_path='/x/img9.jpg'))
    with pytest.raises(ValueError, match='num_classes'):
        LoadForegroundRatios(num_classes=0)


def test_registered_in_the_mmpretrain_scope():
    from mmengine.registry import DefaultScope
    from mmpretrain.registry import TRANSFORMS
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        built = TRANSFORMS.build(dict(type='LoadForegroundRatios', label_dir='x', num_classes=6))
    assert isinstance(built, LoadForegroundRatios) and built.num_classes == 6
