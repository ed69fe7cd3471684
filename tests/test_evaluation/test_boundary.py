"""Tests of ``hfpl_mm.evaluation.functional.boundary`` against an independent reference.

The reference below is written from the *definition* of the public ``contour_fscore.py``
(arvijj/hfpl) / DAVIS semantics (davisvideochallenge/davis2017-evaluation), with explicit loops
and ``scipy.ndimage``, and shares no code with the implementation (no ``cv2``, no shifted-array
boundary trick). It is also imported by ``test_jf_metric.py``.
"""
import math
from typing import Dict, List, Sequence, Tuple

import numpy as np
import pytest
from scipy import ndimage

from hfpl_mm.evaluation.functional import (JFAccumulator, boundary_match_counts,
                                           boundary_tolerance, contour_fscore_from_counts, disk,
                                           intersect_and_union, seg2bmap)

VOID = 255
NUM_CLASSES = 6  # 0 = background, 1..4 appear, 5 never appears in GT or prediction
SHAPES = ((64, 96), (75, 50), (120, 160), (37, 81))

# --------------------------------------------------------------------------------------------
# Independent reference
# --------------------------------------------------------------------------------------------


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


@pytest.fixture(scope='module')
def dataset() -> Tuple[List[np.ndarray], List[np.ndarray]]:
    rng = np.random.default_rng(0)
    pairs = [make_pair(rng, shape) for shape in SHAPES]
    return [p for p, _ in pairs], [g for _, g in pairs]


def accumulate(preds, gts, **kwargs) -> Dict[str, object]:
    acc = JFAccumulator(NUM_CLASSES, **kwargs)
    for pred, gt in zip(preds, gts):
        acc.update(pred, gt)
    return acc.summary()


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


def test_seg2bmap_matches_definition():
    rng = np.random.default_rng(1)
    for shape in ((1, 7), (6, 1), (9, 13), (16, 16)):
        mask = rng.random(shape) < 0.4
        np.testing.assert_array_equal(seg2bmap(mask), ref_boundary(mask))


def test_seg2bmap_square():
    mask = np.zeros((8, 8), dtype=np.uint8)
    mask[2:6, 2:6] = 7  # any non-zero value is foreground
    bmap = seg2bmap(mask)
    assert bmap.dtype == bool
    # half a pixel towards the origin: the background row/column above-left of the square,
    # and the square's own bottom row and right column
    expected = np.zeros((8, 8), dtype=bool)
    expected[1, 1:6] = expected[1:6, 1] = True
    expected[5, 2:6] = expected[2:6, 5] = True
    np.testing.assert_array_equal(bmap, expected)
    assert bmap.sum() == 16
    # the image border is not a boundary
    assert not seg2bmap(np.ones((5, 5))).any()


def test_boundary_tolerance():
    assert boundary_tolerance((375, 500)) == 5
    assert boundary_tolerance((500, 375, 3)) == 5
    assert boundary_tolerance((500, 500)) == 6
    assert boundary_tolerance((300, 410)) == 5  # 4.06 is rounded up
    assert boundary_tolerance((500, 500), bound_th=3) == 3
    assert boundary_tolerance((120, 160), bound_th=0.04) == 8


def test_disk():
    np.testing.assert_array_equal(disk(1), [[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    for radius in (2, 5, 6):
        np.testing.assert_array_equal(disk(radius), ref_disk(radius))
    assert disk(5).sum() == 81  # Gauss circle count N(5)


@pytest.mark.parametrize('counts, expected', [
    ([0, 0, 0, 0], 1.0),  # class absent from both: F = 1
    ([0, 0, 0, 9], 0.0),  # predicted, never annotated
    ([0, 0, 9, 0], 0.0),  # annotated, never predicted
    ([0, 0, 4, 4], 0.0),  # P + R = 0
    ([3, 2, 4, 4], 2 * 0.5 * 0.75 / 1.25),
])
def test_contour_fscore_from_counts(counts, expected):
    fscore = contour_fscore_from_counts(np.array([counts]))
    assert fscore.shape == (1, )
    assert fscore[0] == pytest.approx(expected)


def test_intersect_and_union_like_mmseg():
    pred = np.array([[0, 1, 1], [2, 7, -1]])  # 7 and -1 are outside [0, 3): not counted
    gt = np.array([[0, 1, VOID], [2, 2, 1]])
    inter, union, area_pred, area_gt = intersect_and_union(pred, gt, 3)
    np.testing.assert_array_equal(inter, [1, 1, 1])
    np.testing.assert_array_equal(area_pred, [1, 1, 1])
    np.testing.assert_array_equal(area_gt, [1, 2, 2])
    np.testing.assert_array_equal(union, [1, 2, 2])


# --------------------------------------------------------------------------------------------
# Against the reference
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize('bound_th', [0.008, 0.04, 3])
def test_counts_and_scores_match_reference(dataset, bound_th):
    preds, gts = dataset
    ref = reference_jf(preds, gts, NUM_CLASSES, bound_th)
    counts = sum(
        boundary_match_counts(p, g, range(1, NUM_CLASSES), bound_th) for p, g in zip(preds, gts))
    np.testing.assert_array_equal(counts, ref['counts'])
    np.testing.assert_allclose(contour_fscore_from_counts(counts), ref['fscores'], rtol=1e-12)

    summary = accumulate(preds, gts, bound_th=bound_th)
    assert summary['J'] == pytest.approx(ref['J'], rel=1e-12)
    assert summary['F'] == pytest.approx(ref['F'], rel=1e-12)
    assert summary['JF'] == pytest.approx(ref['JF'], rel=1e-12)
    np.testing.assert_allclose(summary['per_class']['IoU'], np.array(ref['iou']) * 100)
    np.testing.assert_allclose(summary['per_class']['F'][1:], np.array(ref['fscores']) * 100)
    assert np.isnan(summary['per_class']['F'][0])  # background is not scored
    # the data are not degenerate: imperfect J and F, and the absent class 5 is skipped by J
    # (NaN) but scores F = 1, as in the public script
    assert 0 < summary['F'] < 100 and 0 < summary['J'] < 100
    assert np.isnan(ref['iou'][5]) and ref['fscores'][-1] == 1.0


def test_fg_classes_subset(dataset):
    preds, gts = dataset
    ref = reference_jf(preds, gts, NUM_CLASSES, fg_classes=[2, 3])
    summary = accumulate(preds, gts, fg_classes=[3, 2])
    assert summary['F'] == pytest.approx(ref['F'], rel=1e-12)
    assert summary['J'] == pytest.approx(ref['J'], rel=1e-12)  # J still over all classes


# --------------------------------------------------------------------------------------------
# Edge cases
# --------------------------------------------------------------------------------------------


def square_scene(shift: Tuple[int, int] = (0, 0), shape=(375, 500)) -> np.ndarray:
    labels = np.zeros(shape, dtype=np.uint8)
    labels[80 + shift[0]:280 + shift[0], 100 + shift[1]:300 + shift[1]] = 1
    return labels


def per_class_f(summary: Dict[str, object]) -> np.ndarray:
    return summary['per_class']['F']


def test_perfect_prediction():
    gt = square_scene()
    gt[300:340, 350:450] = 2
    gt[79, 100:300] = VOID
    summary = accumulate([np.where(gt == VOID, 0, gt)], [gt])
    assert summary['J'] == 100 and summary['F'] == 100 and summary['JF'] == 100
    np.testing.assert_array_equal(per_class_f(summary)[1:], 100)  # classes 3..5 absent: F = 1


def test_predicted_but_never_in_gt():
    gt = square_scene()
    pred = gt.copy()
    pred[300:340, 350:450] = 4
    f = per_class_f(accumulate([pred], [gt]))
    assert f[4] == 0 and f[1] == 100 and f[2] == 100


def test_one_pixel_shift_is_within_tolerance():
    gt = square_scene()
    summary = accumulate([square_scene((1, 1))], [gt])
    assert per_class_f(summary)[1] == pytest.approx(100)
    assert summary['per_class']['IoU'][1] < 100


def test_large_shift_gives_low_f():
    gt = square_scene()
    f = per_class_f(accumulate([square_scene((40, 40))], [gt]))[1]
    assert f < 10  # only the two crossings of the square outlines fall within 5 px
    # every boundary pixel has its shifted twin 40 * sqrt(2) < 60 px away
    f_tol = per_class_f(accumulate([square_scene((40, 40))], [gt], bound_th=60))[1]
    assert f_tol == pytest.approx(100)


def test_void_handling():
    """Void is background for the public script, but masked out DAVIS-style otherwise."""
    gt = np.full((100, 100), VOID, dtype=np.uint8)
    pred = np.zeros((100, 100), dtype=np.uint8)
    pred[20:60, 30:70] = 1
    as_bg = boundary_match_counts(pred, gt, [1])
    assert as_bg[0, :3].tolist() == [0, 0, 0] and as_bg[0, 3] > 0
    assert contour_fscore_from_counts(as_bg)[0] == 0
    masked = boundary_match_counts(pred, gt, [1], void_as_background=False)
    assert masked.tolist() == [[0, 0, 0, 0]] and contour_fscore_from_counts(masked)[0] == 1


def test_void_band_is_background_when_background_is_scored():
    gt = np.zeros((100, 100), dtype=np.uint8)
    gt[40:45, :] = VOID
    pred = np.zeros_like(gt)
    # relabelled: GT background is the whole image, like the prediction, so no contour at all
    assert boundary_match_counts(pred, gt, [0]).tolist() == [[0, 0, 0, 0]]
    # masked: the band is cut out of both masks, so both get the same contours
    gt_hit, pred_hit, n_gt, n_pred = boundary_match_counts(pred, gt, [0],
                                                           void_as_background=False)[0]
    assert n_gt == n_pred > 0 and gt_hit == n_gt and pred_hit == n_pred


def test_invalid_inputs():
    with pytest.raises(ValueError):
        boundary_match_counts(np.zeros((4, 5)), np.zeros((5, 4)), [1])
    with pytest.raises(ValueError):
        JFAccumulator(3, fg_classes=[3])
    with pytest.raises(ValueError):
        seg2bmap(np.zeros((2, 3, 4)))
