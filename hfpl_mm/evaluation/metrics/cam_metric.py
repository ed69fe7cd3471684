"""Pseudo-label quality of CAMs during classifier validation."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.registry import METRICS

from hfpl_mm.utils.io import atomic_write_bytes, read_label_png
from hfpl_mm.utils import cams_to_labels, normalize_cams
from ..functional import (boundary_match_counts, contour_fscore_from_counts, jf_from_iou,
                          label_areas, region_iou)


@METRICS.register_module()
class CAMMetric(BaseMetric):
    """Region similarity J (mIoU) and contour quality F of CAM pseudo-labels.

    Each sample's ``cam`` (the head's raw scores) is restricted to the image-level labels,
    resized to the original image and max-normalised; background gets a constant score ``t``
    for every ``t`` in ``bg_thresholds`` (the public evaluation's sweep) and the argmax is
    compared to the mask at ``seg_map_path``. The reported J is that of the threshold with the
    best J, reported as ``bg_thr``; F (and J&F) are at the same threshold, or at the fixed
    ``f_bg_thr`` (hfpl scores SEAM's CAM F at 0.25, `arvijj/hfpl` ``contour_fscore.py``).

    Args:
        bg_thresholds (Sequence[float]): Background scores to sweep.
            Defaults to 0.05, 0.10, ..., 0.60 (the paper's protocol, hfpl's
            ``eval_cam_voc.py --curve``, is 0.00, 0.01, ..., 0.59: the VOC configs use it).
        mean (str): How J averages the per-class IoU: ``'nanmean'`` (mmseg's mIoU: a class
            absent from both GT and prediction is skipped) or ``'plain'`` (hfpl's
            ``eval_cam_voc.py``: such a class counts as 0). Defaults to 'nanmean'.
        f_bg_thr (float, optional): Report F and J&F at this background score instead of at
            the best-J one (added to the sweep if missing). Defaults to None.
        bound_th (float): Contour tolerance as a fraction of the diagonal. Defaults to 0.008.
        ignore_index (int): Void label of the masks. Defaults to 255.
        sweep_file (str, optional): Write J / F per threshold to this JSON file and a plot to
            the same name with ``.png``. Defaults to None.
        collect_device (str): Device for result collection. Defaults to 'cpu'.
        prefix (str, optional): Key prefix. Defaults to 'cam'.
    """
    default_prefix = 'cam'

    def __init__(self,
                 bg_thresholds: Sequence[float] = tuple(np.round(np.arange(1, 13) * 0.05, 2)),
                 mean: str = 'nanmean',
                 f_bg_thr: Optional[float] = None,
                 bound_th: float = 0.008,
                 ignore_index: int = 255,
                 sweep_file: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if len(bg_thresholds) == 0:
            raise ValueError('CAMMetric: bg_thresholds must not be empty')
        if mean not in ('nanmean', 'plain'):
            raise ValueError(f"CAMMetric: mean must be 'nanmean' or 'plain', got {mean!r}")
        self.bg_thresholds = [float(t) for t in bg_thresholds]
        if f_bg_thr is not None and not any(np.isclose(t, f_bg_thr)
                                            for t in self.bg_thresholds):
            self.bg_thresholds = sorted(self.bg_thresholds + [float(f_bg_thr)])
        self.mean = mean
        self.f_bg_thr = f_bg_thr
        self.bound_th = bound_th
        self.ignore_index = ignore_index
        self.sweep_file = sweep_file

    @property
    def num_classes(self) -> int:
        """Classes of the masks: background + the data set's foreground classes."""
        return len(self.dataset_meta['classes']) + 1

    def score_label(self, pred: np.ndarray, gt: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Areas (4, K) and boundary counts (K - 1, 4) of one label map against its mask, or
        (T, 4, K) and (T, K - 1, 4) of a stack (T, H, W) of them."""
        areas = label_areas(pred, gt, self.num_classes, self.ignore_index)
        counts = boundary_match_counts(pred, gt, range(1, self.num_classes), self.bound_th,
                                       self.ignore_index)
        return areas, counts

    def score_cams(self, cams: torch.Tensor, gt: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """:meth:`score_label` of the CAMs' labels at every background threshold (one pass)."""
        dtype = torch.uint8 if self.num_classes <= 256 else torch.long
        return self.score_label(cams_to_labels(cams, self.bg_thresholds, dtype).cpu().numpy(), gt)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'cam' not in sample:
                raise KeyError('CAMMetric needs the model to predict `cam` (use CAMHead)')
            gt = read_label_png(self.seg_map_path(sample))
            cams = normalize_cams(sample['cam'], sample['gt_label'].tolist(), gt.shape[:2])
            self.results.append(self.score_cams(cams, gt))

    @staticmethod
    def seg_map_path(sample: dict) -> str:
        """The mask path of a sample, or a clear error when the pipeline dropped it."""
        if not sample.get('seg_map_path'):
            raise KeyError(f'no seg_map_path for {sample.get("img_path")}; add '
                           "'seg_map_path' to PackInputs' meta_keys")
        return sample['seg_map_path']

    def summarize(self, areas: np.ndarray, counts: np.ndarray) -> List[Dict[str, float]]:
        """J, F and J&F (percent) per threshold from summed (T, 4, K) areas, (T, K-1, 4) counts."""
        nan_to_num = 0 if self.mean == 'plain' else None
        return [jf_from_iou(region_iou(area, nan_to_num), contour_fscore_from_counts(count))
                for area, count in zip(areas, counts)]

    def compute_metrics(self, results: List) -> Dict[str, float]:
        scores = self.summarize(sum(r[0] for r in results), sum(r[1] for r in results))
        best = int(np.argmax([s['J'] for s in scores]))
        curve = ', '.join(f'{t:.2f}: {s["J"]:.1f}' for t, s in zip(self.bg_thresholds, scores))
        print_log(f'CAM J per background threshold: {curve}', logger='current')
        if self.sweep_file:
            write_sweep(self.sweep_file, self.bg_thresholds, scores)
        metrics = {'J': round(scores[best]['J'], 2), 'F': round(scores[best]['F'], 2),
                   'J&F': round(scores[best]['JF'], 2), 'bg_thr': self.bg_thresholds[best]}
        if self.f_bg_thr is not None:
            at = int(np.argmin([abs(t - self.f_bg_thr) for t in self.bg_thresholds]))
            metrics.update(F=round(scores[at]['F'], 2),
                           **{'J&F': round((scores[best]['J'] + scores[at]['F']) / 2, 2)},
                           F_bg_thr=self.bg_thresholds[at])
        return metrics


def write_sweep(path: str, thresholds: Sequence[float], scores: List[Dict[str, float]]) -> None:
    """Write J / F / J&F per background threshold as ``path`` (JSON) and a PNG plot beside it."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = [dict(bg_thr=t, **{k: float(v) for k, v in s.items()})
            for t, s in zip(thresholds, scores)]
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    atomic_write_bytes(path, json.dumps(rows, indent=2).encode())
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    for key, label in (('J', 'J (mIoU)'), ('F', 'F (contour)'), ('JF', 'J&F')):
        ax.plot(thresholds, [r[key] for r in rows], marker='o', ms=3, label=label)
    ax.set_xlabel('background threshold')
    ax.set_ylabel('%')
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    png = osp.splitext(path)[0] + '.png'
    fig.savefig(png + '.tmp.png')
    plt.close(fig)
    os.replace(png + '.tmp.png', png)
