"""J (region) and F (contour) of label maps: the scoring shared by every hfpl_mm metric.

J is mmseg's mIoU: the areas of :class:`mmseg.evaluation.metrics.IoUMetric`'s
``intersect_and_union`` per image (void GT dropped, labels outside ``[0, K)`` not counted; here
counted for a stack of label maps at once, the tests check the equality), summed over the data
set, its ``total_area_to_metrics`` for the per-class IoU, and ``nanmean``
over the classes, so a class absent from both GT and prediction is skipped, as in mmseg's
``mIoU``. F is the pooled contour F-score of :mod:`hfpl_mm.evaluation.functional.boundary`.
"""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmseg.evaluation.metrics import IoUMetric

from .boundary import (COUNT_FIELDS, boundary_match_counts, contour_fscore_from_counts,
                       resolve_fg_classes)

__all__ = ['label_areas', 'region_iou', 'jf_from_iou', 'JFAccumulator']


def label_areas(pred: np.ndarray, gt: np.ndarray, num_classes: int,
                ignore_index: int = 255) -> np.ndarray:
    """Per-class areas of one label map, or of a stack of them, against a mask.

    The counts of ``IoUMetric.intersect_and_union`` (the tests check the equality), from one
    ``bincount`` confusion matrix per map, which is several times faster than its three
    ``histc`` (a background-threshold sweep scores 60 maps per image).

    Args:
        pred (np.ndarray): Predicted label map (H, W), or a stack (T, H, W) of them.
        gt (np.ndarray): Ground-truth label map (H, W) with ``ignore_index`` void.
        num_classes (int): Number of classes K, background included.
        ignore_index (int): Void GT label. Defaults to 255.

    Returns:
        np.ndarray: ``int64`` (4, K), or (T, 4, K) for a stack: intersection, union, predicted
        and GT areas. Integers, so that sums over a data set stay exact (mmseg counts in
        float32).
    """
    pred, gt = np.asarray(pred), np.asarray(gt)
    preds = pred[None] if pred.ndim == 2 else pred
    if gt.ndim != 2 or preds.ndim != 3 or preds.shape[1:] != gt.shape:
        raise ValueError(f'pred {pred.shape} must be a label map of the shape of gt {gt.shape} '
                         '(H, W), or a stack (T, H, W) of them')
    k, valid = num_classes, gt != ignore_index

    def in_range(labels):  # labels outside [0, K) go to an extra bin K, left out of the areas
        labels = labels.astype(np.int64)
        return np.where((labels >= 0) & (labels < k), labels, k)

    gt_valid = in_range(gt[valid]) * (k + 1)
    areas = np.empty((len(preds), 4, k), dtype=np.int64)
    for areas_t, pred_t in zip(areas, preds):  # a (K + 1)^2 confusion matrix per map
        conf = np.bincount(gt_valid + in_range(pred_t[valid]), minlength=(k + 1)**2)
        conf = conf.reshape(k + 1, k + 1)  # [gt, pred]
        intersect, pred_area, gt_area = np.diagonal(conf)[:k], conf[:, :k].sum(0), conf[:k].sum(1)
        areas_t[:] = intersect, pred_area + gt_area - intersect, pred_area, gt_area
    return areas[0] if pred.ndim == 2 else areas


def region_iou(areas: np.ndarray, nan_to_num: Optional[int] = None) -> np.ndarray:
    """Per-class IoU (K,) of summed (4, K) areas, by ``IoUMetric.total_area_to_metrics``.

    NaN marks a class absent from both GT and prediction (unless ``nan_to_num`` replaces it).
    """
    totals = torch.from_numpy(np.asarray(areas, dtype=np.float64))
    return IoUMetric.total_area_to_metrics(*totals, metrics=['mIoU'], nan_to_num=nan_to_num)['IoU']


def jf_from_iou(iou: np.ndarray, fscore: np.ndarray) -> Dict[str, float]:
    """J, F and J&F in percent (unrounded) from per-class IoU and contour F.

    Args:
        iou (np.ndarray): Per-class IoU in [0, 1]; NaN classes are skipped (mmseg's mIoU).
        fscore (np.ndarray): Per-class contour F in [0, 1] of the scored classes.

    Returns:
        dict[str, float]: ``J`` (mIoU), ``F`` (mean contour F) and ``JF`` (their mean).
    """
    j_score = np.nanmean(iou) * 100
    f_score = np.mean(fscore) * 100
    return dict(J=j_score, F=f_score, JF=(j_score + f_score) / 2)


class JFAccumulator:
    """Accumulate J and contour F over (prediction, GT) label maps.

    For scripts and code that do not see mmseg data samples (e.g. the FSL parameter search).
    It keeps only (4, K) areas and (len(fg_classes), 4) boundary counts.

    Args:
        num_classes (int): Number of classes, background included.
        fg_classes (Sequence[int], optional): Classes scored by F. Defaults to all but
            ``bg_index``.
        bg_index (int): Background label. Defaults to 0.
        ignore_index (int): Void GT label. Defaults to 255.
        bound_th (float): Boundary tolerance, see
            :func:`~hfpl_mm.evaluation.functional.boundary_tolerance`. Defaults to 0.008.
        void_as_background (bool): Void handling for F, see
            :func:`~hfpl_mm.evaluation.functional.boundary_match_counts`. Defaults to True.
    """

    def __init__(self,
                 num_classes: int,
                 fg_classes: Optional[Sequence[int]] = None,
                 bg_index: int = 0,
                 ignore_index: int = 255,
                 bound_th: float = 0.008,
                 void_as_background: bool = True) -> None:
        self.num_classes = num_classes
        self.fg_classes = resolve_fg_classes(num_classes, fg_classes, bg_index)
        self.bg_index = bg_index
        self.ignore_index = ignore_index
        self.bound_th = bound_th
        self.void_as_background = void_as_background
        self.reset()

    def reset(self) -> None:
        """Clear the accumulated areas and boundary counts."""
        self.areas = np.zeros((4, self.num_classes), dtype=np.int64)
        self.boundary_counts = np.zeros((len(self.fg_classes), len(COUNT_FIELDS)),
                                        dtype=np.int64)

    def update(self, pred: np.ndarray, gt: np.ndarray) -> None:
        """Add one (H, W) prediction and its (H, W) GT (``ignore_index`` void)."""
        self.areas += label_areas(pred, gt, self.num_classes, self.ignore_index)
        self.boundary_counts += boundary_match_counts(
            pred, gt, self.fg_classes, self.bound_th, self.ignore_index,
            self.void_as_background, self.bg_index)

    def summary(self) -> Dict[str, object]:
        """Compute the scores of everything added so far.

        Returns:
            dict: ``J``, ``F`` and ``JF`` in percent (unrounded), and ``per_class``, a dict with
            ``IoU`` and ``F`` arrays of shape (num_classes,) in percent. IoU is NaN for classes
            absent from both maps. F is NaN for classes that are not scored.
        """
        iou = region_iou(self.areas)
        fscore = contour_fscore_from_counts(self.boundary_counts)
        per_class_f = np.full(self.num_classes, np.nan)
        per_class_f[list(self.fg_classes)] = fscore
        return dict(**jf_from_iou(iou, fscore), per_class=dict(IoU=iou * 100, F=per_class_f * 100))
