"""PMM's stage-B training sample: one crop of the multi-scale sliding grid, labelled by stage A's
CRF regions (https://github.com/Eli-YiLi/PMM ``tool/data.py::VOC12ClsHeatCropDataset``)."""
import os.path as osp
from typing import Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS

from hfpl_mm.utils.crop_grid import PMM_CROP_SCALES, crop_labels, multi_crop_grid
from hfpl_mm.utils.io import read_label_png

__all__ = ['MultiCropSample']


@TRANSFORMS.register_module()
class MultiCropSample(BaseTransform):
    """Replace the image by one crop of :func:`~hfpl_mm.utils.crop_grid.multi_crop_grid` and its
    labels by the classes of stage A's CRF regions in it
    (:func:`~hfpl_mm.utils.crop_grid.crop_labels`), as PMM: a scale drawn uniformly, then up to
    as many crops of it as it has, drawn uniformly with replacement, until one has a class (else
    the last one drawn, with no class). Put it right after ``LoadImageFromFile``; PMM then
    flips, colour-jitters and resizes the crop to 448 x 448.

    Reads ``<region_dir>/<image stem><suffix>``: the label map of :class:`PMMLabeler`
    ('crf_regions'), ``c + 1`` where class ``c``'s CRF posterior exceeds 0.9.

    Args:
        region_dir (str, optional): Folder of the region maps (the pipeline sets it to the
            region stage's labels). Must be set before the first image. Defaults to None.
        scales (Sequence[float]): Grid scales. Defaults to PMM's 0.75, 1, ..., 3.
        crop_size (int): Window of the grid (in the scaled image). Defaults to 448.
        stride (int): Grid stride. Defaults to 300.
        label_thr (float): Overlap fraction that keeps a class. Defaults to 0.1.
        suffix (str): Region file suffix. Defaults to '.png'.
    """

    def __init__(self, region_dir: Optional[str] = None,
                 scales: Sequence[float] = PMM_CROP_SCALES, crop_size: int = 448,
                 stride: int = 300, label_thr: float = 0.1, suffix: str = '.png') -> None:
        self.region_dir = region_dir
        self.scales = tuple(float(s) for s in scales)
        self.crop_size, self.stride = int(crop_size), int(stride)
        self.label_thr = float(label_thr)
        self.suffix = suffix
        multi_crop_grid(1, 1, self.scales, self.crop_size, self.stride)  # validates

    def transform(self, results: dict) -> dict:
        if not self.region_dir:
            raise ValueError('MultiCropSample: region_dir is not set (the CRF-region stage\'s '
                             'labels folder)')
        stem = osp.splitext(osp.basename(results['img_path']))[0]
        path = osp.join(self.region_dir, stem + self.suffix)
        if not osp.isfile(path):
            raise FileNotFoundError(f'MultiCropSample: region map not found: {path} (image '
                                    f'{results["img_path"]}); run the CRF-region stage first')
        regions = read_label_png(path)
        img = results['img']
        if regions.shape != img.shape[:2]:
            raise ValueError(f'MultiCropSample: region map {path} is {regions.shape}, the image '
                             f'{results["img_path"]} {img.shape[:2]}')
        grid = multi_crop_grid(img.shape[1], img.shape[0], self.scales, self.crop_size,
                               self.stride)
        boxes = grid[np.random.randint(len(grid))]
        for _ in range(len(boxes)):
            box = boxes[np.random.randint(len(boxes))]
            labels = crop_labels(regions, box, self.label_thr)
            if labels:
                break
        x1, y1, x2, y2 = box
        results['img'] = img[y1:y2, x1:x2]
        results['img_shape'] = results['img'].shape[:2]
        results['crop_box'] = tuple(box)
        results['gt_label'] = np.asarray(labels, dtype=np.int64)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(region_dir={self.region_dir!r}, scales={self.scales}, '
                f'crop_size={self.crop_size}, stride={self.stride}, '
                f'label_thr={self.label_thr})')
