"""Contour (F) scores for semantic label maps, in numpy and OpenCV only.

The contour F-score follows the hfpl paper's ``contour_fscore.py``, which builds on the DAVIS
boundary measure (``davis2017-evaluation``, ``metrics.f_measure``):

* boundaries are the 1-pixel maps of DAVIS/BSDS ``seg2bmap``;
* the matching tolerance is ``ceil(0.008 * ||(H, W)||)`` pixels, and each boundary is dilated with
  a disk of that radius (``skimage.morphology.disk``, applied with ``cv2.dilate``);
* four counts per image and class are **summed over the data set** (micro pooling) before
  precision, recall and F are formed per class. DAVIS instead averages per-frame F (macro).
  With pooling, an image where a class is absent from both maps changes nothing for that class.

J is not computed here: see :mod:`hfpl_mm.evaluation.functional.jf_scores`. Nothing here
imports torch or OpenMMLab.
"""
import math
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

#: Columns of the array returned by :func:`boundary_match_counts`.
COUNT_FIELDS = ('gt_matched', 'pred_matched', 'gt_total', 'pred_total')


def seg2bmap(mask: np.ndarray) -> np.ndarray:
    """Compute the 1-pixel boundary map of a binary mask (DAVIS/BSDS ``seg2bmap``).

    A pixel is on the boundary when it differs from its east, south or south-east neighbour.
    Neighbours outside the image are not compared, so the image border is never a boundary.
    This reproduces the DAVIS function, including its special cases for the last row, the last
    column and the bottom-right pixel. The boundary therefore sits half a pixel towards the origin
    from the true contour, as in BSDS.

    Args:
        mask (np.ndarray): Mask of shape (H, W), or a stack (..., H, W) of masks. Non-zero
            entries are foreground.

    Returns:
        np.ndarray: Boolean boundary map(s) of the shape of ``mask``.
    """
    seg = np.asarray(mask).astype(bool)
    if seg.ndim < 2:
        raise ValueError(f'seg2bmap expects (H, W) or (..., H, W) masks, got shape {seg.shape}')
    bmap = np.zeros_like(seg)
    bmap[..., :, :-1] |= seg[..., :, :-1] != seg[..., :, 1:]
    bmap[..., :-1, :] |= seg[..., :-1, :] != seg[..., 1:, :]
    bmap[..., :-1, :-1] |= seg[..., :-1, :-1] != seg[..., 1:, 1:]
    return bmap


def disk(radius: int) -> np.ndarray:
    """Build a disk structuring element the way ``skimage.morphology.disk`` does.

    The element has size ``2 * radius + 1`` and contains the offsets ``(dy, dx)`` with
    ``dy**2 + dx**2 <= radius**2``. The public script uses this element. OpenCV's
    ``MORPH_ELLIPSE`` differs from it for some radii, so it is not used here.

    Args:
        radius (int): Disk radius in pixels.

    Returns:
        np.ndarray: ``uint8`` array of shape (2 * radius + 1, 2 * radius + 1).
    """
    offsets = np.arange(-radius, radius + 1)
    return (offsets[:, None]**2 + offsets[None, :]**2 <= radius**2).astype(np.uint8)


def boundary_tolerance(shape: Sequence[int], bound_th: float = 0.008) -> int:
    """Return the boundary matching tolerance in pixels (DAVIS ``bound_pix``).

    Args:
        shape (Sequence[int]): Image shape. Only ``(H, W)`` is used.
        bound_th (float): Tolerance as a fraction of the image diagonal. A value ``>= 1`` is taken
            as a number of pixels, as DAVIS does. Defaults to 0.008. This gives 5 px for
            500x375 and 6 px for 500x500.

    Returns:
        int: ``ceil(bound_th * ||(H, W)||)``, or ``ceil(bound_th)`` when ``bound_th >= 1``.
    """
    if bound_th >= 1:
        return int(math.ceil(bound_th))
    return int(np.ceil(bound_th * np.linalg.norm(shape[:2])))


def _labels_in(labels: np.ndarray) -> set:
    """The labels that occur in an array (one counting pass for uint8 label maps)."""
    if labels.dtype == np.uint8:
        return set(np.flatnonzero(np.bincount(labels.ravel(), minlength=256)).tolist())
    return set(np.unique(labels).tolist())


def _dilate(masks: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    """``cv2.dilate`` of a (T, H, W) stack of boolean masks, each on its own: the stack goes
    through as the channels of one image (at most 512 at a time, OpenCV's limit)."""
    out = np.empty_like(masks)
    for start in range(0, len(masks), 512):
        chunk = np.ascontiguousarray(np.moveaxis(masks[start:start + 512], 0, -1), np.uint8)
        dilated = cv2.dilate(chunk, footprint).reshape(chunk.shape)
        out[start:start + 512] = np.moveaxis(dilated, -1, 0).astype(bool)
    return out


def boundary_match_counts(pred: np.ndarray,
                          gt: np.ndarray,
                          classes: Sequence[int],
                          bound_th: float = 0.008,
                          ignore_index: int = 255,
                          void_as_background: bool = True,
                          bg_index: int = 0) -> np.ndarray:
    """Count contour matches per class for one image, of one label map or a stack of them.

    For every class ``c`` in ``classes`` the binary masks ``pred == c`` and ``gt == c`` are
    compared with :func:`seg2bmap` boundaries and disk dilation (see the module docstring).
    Sum the rows over a data set and pass them to :func:`contour_fscore_from_counts`.

    Void GT pixels (``ignore_index``) are handled in one of two ways:

    * ``void_as_background=True`` (the public script): void is relabelled ``bg_index``. VOC's void
      bands then act as background: a prediction spilling over a band wider than the tolerance
      is penalised.
    * ``void_as_background=False`` (DAVIS ``void_pixels``): void pixels are cleared in both masks
      before the boundaries are extracted.

    Args:
        pred (np.ndarray): Predicted label map, shape (H, W), or a stack (T, H, W) of them
            scored against the same ``gt`` (e.g. a background-threshold sweep: one pass).
        gt (np.ndarray): Ground-truth label map, shape (H, W).
        classes (Sequence[int]): Labels to score, one output row each.
        bound_th (float): Tolerance, see :func:`boundary_tolerance`. Defaults to 0.008.
        ignore_index (int): Void label of ``gt``. Defaults to 255.
        void_as_background (bool): Relabel void as background (True) or mask it out (False).
            Defaults to True.
        bg_index (int): Background label that void maps to. Defaults to 0.

    Returns:
        np.ndarray: ``int64`` array of shape (len(classes), 4), or (T, len(classes), 4) for a
        stack. Columns are ``COUNT_FIELDS``: matched GT boundary, matched predicted boundary,
        GT boundary size, predicted boundary size (the script's ``f_matches``).
    """
    pred, gt = np.asarray(pred), np.asarray(gt)
    preds = pred[None] if pred.ndim == 2 else pred
    if gt.ndim != 2 or preds.ndim != 3 or preds.shape[1:] != gt.shape:
        raise ValueError(f'pred {pred.shape} must be a label map of the shape of gt {gt.shape} '
                         '(H, W), or a stack (T, H, W) of them')
    void = gt == ignore_index
    if void_as_background:
        gt = np.where(void, bg_index, gt)
    keep = np.ones_like(void) if void_as_background else ~void
    footprint = disk(boundary_tolerance(gt.shape, bound_th))
    counts = np.zeros((len(preds), len(classes), len(COUNT_FIELDS)), dtype=np.int64)
    present = _labels_in(gt[keep]) | _labels_in(preds if void_as_background else preds[:, keep])
    for row, cls in enumerate(classes):
        if cls not in present:
            continue  # absent from both: no contour
        pred_mask, gt_mask = (preds == cls) & keep, (gt == cls) & keep
        pred_bound, gt_bound = seg2bmap(pred_mask), seg2bmap(gt_mask)
        pred_dil, gt_dil = _dilate(pred_bound, footprint), _dilate(gt_bound[None], footprint)
        counts[:, row] = np.stack([(gt_bound & pred_dil).sum((1, 2)),
                                   (pred_bound & gt_dil).sum((1, 2)),
                                   np.full(len(preds), gt_bound.sum()),
                                   pred_bound.sum((1, 2))], axis=1)
    return counts[0] if pred.ndim == 2 else counts


def contour_fscore_from_counts(counts: np.ndarray) -> np.ndarray:
    """Compute the per-class contour F-score from pooled match counts.

    The edge cases follow the public script:

    * both boundary totals are 0: the class never occurs, so F = 1;
    * exactly one total is 0: the class was only predicted or only annotated, so F = 0;
    * otherwise ``P = pred_matched / pred_total`` and ``R = gt_matched / gt_total``, and
      ``F = 2PR / (P + R)``, or 0 when ``P + R = 0``.

    Args:
        counts (np.ndarray): Array of shape (C, 4) in ``COUNT_FIELDS`` order, usually summed
            over a data set.

    Returns:
        np.ndarray: ``float64`` array of shape (C,) with F in [0, 1].
    """
    gt_matched, pred_matched, gt_total, pred_total = np.asarray(counts, dtype=np.float64).T
    both = (gt_total > 0) & (pred_total > 0)
    precision = np.divide(pred_matched, pred_total, out=np.zeros_like(pred_total), where=both)
    recall = np.divide(gt_matched, gt_total, out=np.zeros_like(gt_total), where=both)
    denom = precision + recall
    fscore = np.divide(2 * precision * recall, denom, out=np.zeros_like(denom), where=denom > 0)
    fscore[(gt_total == 0) & (pred_total == 0)] = 1.0
    return fscore


def resolve_fg_classes(num_classes: int,
                       fg_classes: Optional[Sequence[int]] = None,
                       bg_index: int = 0) -> Tuple[int, ...]:
    """Return the classes whose contours are scored.

    Args:
        num_classes (int): Number of classes, background included.
        fg_classes (Sequence[int], optional): Explicit list. Defaults to None, which means every
            class except ``bg_index`` (1..20 on VOC, as in the public script).
        bg_index (int): Background label, left out by default. Defaults to 0.

    Returns:
        tuple[int]: Sorted labels of the scored classes.
    """
    if fg_classes is None:
        fg_classes = [c for c in range(num_classes) if c != bg_index]
    classes = tuple(sorted(int(c) for c in fg_classes))
    if not classes or classes[0] < 0 or classes[-1] >= num_classes:
        raise ValueError(f'fg_classes {classes} must be a non-empty subset of '
                         f'[0, {num_classes})')
    return classes
