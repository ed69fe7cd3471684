"""PMM's multi-scale sliding crop grid and its crop-label rule (stage B, "multi-crop").

Reference semantics: https://github.com/Eli-YiLi/PMM ``tool/data.py``
(``VOC12ClsHeatCropDataset.get_multi_crop_params`` / ``update_label``,
``VOC12ClsDatasetMultiCrop``), ``run.py`` (scales 0.75, 1, ..., 3.0, crop 448, stride 300).
"""
from typing import List, Sequence

import numpy as np

__all__ = ['PMM_CROP_SCALES', 'multi_crop_grid', 'crop_labels']

#: ``run.py --scales``
PMM_CROP_SCALES = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0)


def multi_crop_grid(width: int, height: int, scales: Sequence[float] = PMM_CROP_SCALES,
                    crop_size: int = 448, stride: int = 300) -> List[List[List[int]]]:
    """Crop boxes ``[x1, y1, x2, y2]`` in image coordinates, one list per scale.

    The image scaled by ``s`` is tiled along each axis with ``1 + ceil(max(0, L - crop) /
    stride)`` windows: window ``i`` spans ``[i * stride, min(L, (i + 1) * stride))`` (so
    ``stride`` wide, not ``crop_size``, as the public code), the last one
    ``[max(0, L - crop), L)``; boxes are mapped back by ``int(v / s)``; x outer, y inner.
    """
    if crop_size < 1 or stride < 1 or not scales or min(scales) <= 0:
        raise ValueError(f'multi_crop_grid: positive crop_size / stride / scales needed, got '
                         f'{crop_size}, {stride}, {list(scales)}')
    grid = []
    for s in scales:
        w, h = int(width * s), int(height * s)
        w_num = 1 + int(np.ceil(max(0.0, float(w - crop_size)) / stride))
        h_num = 1 + int(np.ceil(max(0.0, float(h - crop_size)) / stride))
        boxes = []
        for wi in range(w_num):
            for hi in range(h_num):
                if wi == w_num - 1:
                    x2, x1 = w, max(0, w - crop_size)
                else:
                    x2, x1 = min(w, (wi + 1) * stride), wi * stride
                if hi == h_num - 1:
                    y2, y1 = h, max(0, h - crop_size)
                else:
                    y2, y1 = min(h, (hi + 1) * stride), hi * stride
                boxes.append([int(float(v) / s) for v in (x1, y1, x2, y2)])
        grid.append(boxes)
    return grid


def crop_labels(regions: np.ndarray, box: Sequence[int], thr: float = 0.1) -> List[int]:
    """0-based classes of a crop: class ``c`` (region ``regions == c + 1``, stage A's CRF
    posterior > 0.9) is kept when its overlap with the box exceeds ``thr`` of the region's area
    or of the box's (clipped) area."""
    x1, y1, x2, y2 = (int(v) for v in box)
    inside = np.zeros(regions.shape, bool)
    inside[y1:y2, x1:x2] = True
    box_area = inside.sum()
    kept = []
    for value in np.unique(regions):
        if value == 0 or value == 255:
            continue
        region = regions == value
        overlap = float((region & inside).sum())
        if overlap / region.sum() > thr or (box_area and overlap / box_area > thr):
            kept.append(int(value) - 1)
    return kept
