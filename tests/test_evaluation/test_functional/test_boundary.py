"""Tests of ``hfpl_mm.evaluation.functional.boundary`` against the independent reference of
``tests/test_evaluation/jf_reference.py``."""
from typing import Dict, List, Tuple

import numpy as np
import pytest

from hfpl_mm.evaluation.functional import (JFAccumulator, boundary_match_counts,
                                           boundary_tolerance, contour_fscore_from_counts, disk,
                                           seg2bmap)
from tests.test_evaluation.jf_reference import (NUM_CLASSES, SHAPES, VOID, make_pair,
                                                ref_boundary, ref_disk, reference_jf)


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


@pytest.mark.parametrize('void_as_background', [True, False])
def test_a_stack_of_maps_counts_as_each_map(dataset, void_as_background):
    """A (T, H, W) stack (a threshold sweep's labels) is scored in one pass, exactly as each of
    its maps alone (the stack goes through cv2.dilate as channels)."""
    rng = np.random.default_rng(1)
    for pred, gt in zip(*dataset):
        stack = np.stack([pred, np.zeros_like(pred), rng.integers(0, NUM_CLASSES, pred.shape)])
        kwargs = dict(classes=range(NUM_CLASSES), void_as_background=void_as_background)
        counts = boundary_match_counts(stack, gt, **kwargs)
        assert counts.shape == (3, NUM_CLASSES, 4)
        np.testing.assert_array_equal(
            counts, np.stack([boundary_match_counts(p, gt, **kwargs) for p in stack]))
        np.testing.assert_array_equal(  # uint8 maps (CAMMetric's) take another counting path
            boundary_match_counts(stack.astype(np.uint8), gt, **kwargs), counts)
        np.testing.assert_array_equal(seg2bmap(stack == 1),
                                      np.stack([seg2bmap(p == 1) for p in stack]))


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
    with pytest.raises(ValueError, match=r'pred \(4, 5\) must be a label map of the shape'):
        boundary_match_counts(np.zeros((4, 5)), np.zeros((5, 4)), [1])
    with pytest.raises(ValueError, match='or a stack'):
        boundary_match_counts(np.zeros((2, 5, 4, 1)), np.zeros((5, 4)), [1])
    with pytest.raises(ValueError):
        JFAccumulator(3, fg_classes=[3])
    with pytest.raises(ValueError):
        seg2bmap(np.zeros(4))
