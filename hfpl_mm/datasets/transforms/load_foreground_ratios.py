"""Per-image foreground ratios ``rho`` of a label folder: what Spatial-BCE's losses need from
the previous phase (``create_fg.py`` of https://github.com/allenwu97/Spatial-BCE)."""
import os.path as osp
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS

from hfpl_mm.utils.io import read_label_png

__all__ = ['LoadForegroundRatios']


@TRANSFORMS.register_module()
class LoadForegroundRatios(BaseTransform):
    """Add ``fg_ratio`` (num_classes,) float32: the fraction of the image's pixels labelled
    ``c + 1`` in ``<label_dir>/<image stem><suffix>`` for every class c (0 background, 255
    unsure counted in the area, as ``create_fg.py`` divides by H x W).

    Pack it with ``PackInputs(algorithm_keys=('fg_ratio', ))``.

    Args:
        label_dir (str, optional): Folder of label PNGs (a CRF-label stage's ``labels``). Must
            be set before the first image; the pipeline sets it. Defaults to None.
        num_classes (int): Foreground classes. Defaults to 20 (VOC).
        suffix (str): File suffix. Defaults to '.png'.
    """

    def __init__(self, label_dir: Optional[str] = None, num_classes: int = 20,
                 suffix: str = '.png') -> None:
        if num_classes < 1:
            raise ValueError(f'LoadForegroundRatios: num_classes must be positive, got '
                             f'{num_classes}')
        self.label_dir = label_dir
        self.num_classes = int(num_classes)
        self.suffix = suffix

    def transform(self, results: dict) -> dict:
        if not self.label_dir:
            raise ValueError('LoadForegroundRatios: label_dir is not set (the previous '
                             'phase\'s CRF labels, <work_dir>/pseudo_labels/labels)')
        stem = osp.splitext(osp.basename(results['img_path']))[0]
        path = osp.join(self.label_dir, stem + self.suffix)
        if not osp.isfile(path):
            raise FileNotFoundError(f'LoadForegroundRatios: label file not found: {path} '
                                    f'(image {results["img_path"]}); run the CRF-label stage '
                                    'of the previous phase first')
        label = read_label_png(path)
        if label.ndim != 2:
            raise ValueError(f'LoadForegroundRatios: {path} is not a label map '
                             f'(shape {label.shape})')
        counts = np.bincount(label.ravel(), minlength=256)[1:self.num_classes + 1]
        results['fg_ratio'] = (counts / label.size).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(label_dir={self.label_dir!r}, '
                f'num_classes={self.num_classes}, suffix={self.suffix!r})')
