"""Independent J / F reference for the evaluation tests, and the label maps they score.

Written from the *definition* of the public ``contour_fscore.py`` (arvijj/hfpl) / DAVIS
semantics (davisvideochallenge/davis2017-evaluation), with explicit loops and ``scipy.ndimage``;
it shares no code with the implementation (no ``cv2``, no shifted-array boundary trick, no
mmseg). J comes from a confusion matrix with mmseg's ``nanmean`` over the classes present.
"""
import math
from typing import Dict, Sequence, Tuple

import numpy as np
from scipy import ndimage

VOID = 255
NUM_CLASSES = 6  # 0 = background, 1..4 appear, 5 never appears in GT or prediction
SHAPES = ((64, 96), (75, 50), (120, 160), (37, 81))


def ref_boundary(mask: np.ndarray) -> np.ndarray:
    """1-px boundary: a pixel differs from one of its in-image E, S or SE neighbours."""
    h, w = mask.shape
    out = np.zeros((h, w), dtype=bool)
    for y in range(h):
        for x in range(w):
            for dy, dx in ((0, 1), (1, 0), (1, 1)):
                if y + dy < h and x + dx < w and mask[y + dy, x + dx] != mask[y, x]:
                    out[y, x] = True
                    break
    return out


def ref_tolerance(h: int, w: int, bound_th: float) -> int:
    return int(bound_th) if bound_th >= 1 else math.ceil(bound_th * math.hypot(h, w))


def ref_disk(radius: int) -> np.ndarray:
    span = range(-radius, radius + 1)
    return np.array([[dy * dy + dx * dx <= radius * radius for dx in span] for dy in span])


def ref_dilate(bmap: np.ndarray, radius: int) -> np.ndarray:
    return ndimage.binary_dilation(bmap, structure=ref_disk(radius))


def ref_fscore(gt_hit: float, pred_hit: float, n_gt: float, n_pred: float) -> float:
    """The script's per-class branch chain, written out."""
    if n_pred == 0 and n_gt > 0:
        precision, recall = 1.0, 0.0
    elif n_pred > 0 and n_gt == 0:
        precision, recall = 0.0, 1.0
    elif n_pred == 0 and n_gt == 0:
        precision, recall = 1.0, 1.0
    else:
        precision, recall = pred_hit / n_pred, gt_hit / n_gt
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def reference_jf(preds: Sequence[np.ndarray],
                 gts: Sequence[np.ndarray],
                 num_classes: int,
                 bound_th: float = 0.008,
                 fg_classes: Sequence[int] = None) -> Dict[str, object]:
    """J from a confusion matrix (mmseg nanmean semantics), F as ``contour_fscore.py``."""
    fg_classes = list(range(1, num_classes)) if fg_classes is None else list(fg_classes)
    conf = np.zeros((num_classes, num_classes), dtype=np.int64)
    pooled = {c: [0, 0, 0, 0] for c in fg_classes}
    for pred, gt in zip(preds, gts):
        valid = gt != VOID
        conf += np.bincount(num_classes * gt[valid].astype(np.int64) + pred[valid],
                            minlength=num_classes**2).reshape(num_classes, num_classes)
        gt = np.where(gt == VOID, 0, gt)  # the script's gt[gt == 255] = 0
        radius = ref_tolerance(*gt.shape, bound_th)
        for c in fg_classes:
            gt_b, pred_b = ref_boundary(gt == c), ref_boundary(pred == c)
            gt_d, pred_d = ref_dilate(gt_b, radius), ref_dilate(pred_b, radius)
            for i, value in enumerate(((gt_b & pred_d).sum(), (pred_b & gt_d).sum(), gt_b.sum(),
                                       pred_b.sum())):
                pooled[c][i] += int(value)
    tp = np.diag(conf).astype(np.float64)
    union = conf.sum(0) + conf.sum(1) - tp
    iou = [tp[c] / union[c] if union[c] > 0 else np.nan for c in range(num_classes)]
    fscores = [ref_fscore(*pooled[c]) for c in fg_classes]
    j_score = np.nanmean(iou) * 100
    f_score = sum(fscores) / len(fscores) * 100
    return dict(J=j_score, F=f_score, JF=(j_score + f_score) / 2, iou=iou, fscores=fscores,
                counts=[pooled[c] for c in fg_classes])


def make_pair(rng: np.random.Generator, shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """Random blobby GT (classes 1..4, VOC-like void bands and patches) and a perturbed
    prediction: shifted, with some regions relabelled (false positives and misses)."""
    h, w = shape
    yy, xx = np.mgrid[:h, :w]
    gt = np.zeros(shape, dtype=np.uint8)
    for _ in range(rng.integers(2, 6)):
        cls = rng.integers(1, NUM_CLASSES - 1)
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        ry, rx = rng.uniform(4, h / 2), rng.uniform(4, w / 2)
        if rng.random() < 0.5:
            gt[((yy - cy) / ry)**2 + ((xx - cx) / rx)**2 <= 1] = cls
        else:
            gt[(abs(yy - cy) <= ry / 2) & (abs(xx - cx) <= rx / 2)] = cls
    shift = tuple(rng.integers(-3, 4, size=2))
    pred = np.roll(gt, shift, axis=(0, 1)).astype(np.int64)
    for _ in range(2):
        y0, x0 = rng.integers(0, h - 4), rng.integers(0, w - 4)
        pred[y0:y0 + rng.integers(3, h // 2), x0:x0 + rng.integers(3, w // 2)] = \
            rng.integers(0, NUM_CLASSES - 1)
    edges = ndimage.binary_dilation(ref_boundary(gt))
    gt[edges] = VOID
    y0, x0 = rng.integers(0, h - 5), rng.integers(0, w - 5)
    gt[y0:y0 + 5, x0:x0 + 5] = VOID
    return pred, gt
