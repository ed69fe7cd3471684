"""MultiCropSample: a grid crop of the image with the classes of its CRF regions."""
import numpy as np
import pytest

from hfpl_mm.datasets.transforms import MultiCropSample
from hfpl_mm.utils.crop_grid import crop_labels
from hfpl_mm.utils.io import save_palette_png


def test_multi_crop_sample(tmp_path):
    regions = np.zeros((60, 80), np.uint8)
    regions[10:30, 10:30] = 3
    save_palette_png(str(tmp_path / 'a.png'), regions, [(i, i, i) for i in range(256)])
    t = MultiCropSample(region_dir=str(tmp_path), scales=(1.0, 2.0), crop_size=32, stride=20)
    np.random.seed(0)
    img = np.zeros((60, 80, 3), np.uint8)
    for _ in range(10):
        out = t(dict(img=img, img_path='x/a.jpg', gt_label=np.array([2, 5])))
        x1, y1, x2, y2 = out['crop_box']
        assert out['img'].shape[:2] == (y2 - y1, x2 - x1)
        assert out['gt_label'].tolist() == crop_labels(regions, out['crop_box'])
    with pytest.raises(FileNotFoundError, match='b.png'):
        t(dict(img=img, img_path='x/b.jpg'))
    with pytest.raises(ValueError, match='region map'):
        t(dict(img=img[:10], img_path='x/a.jpg'))
