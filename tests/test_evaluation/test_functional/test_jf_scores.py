"""Tests of ``hfpl_mm.evaluation.functional.jf_scores``: J is mmseg's ``IoUMetric`` arithmetic,
the same for the accumulator, ``CAMMetric`` and ``JFMetric``."""
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from hfpl_mm.evaluation.functional import JFAccumulator, jf_from_iou, label_areas, region_iou
from hfpl_mm.evaluation.metrics import CAMMetric, JFMetric
from tests.test_evaluation.jf_reference import NUM_CLASSES, SHAPES, VOID, make_pair, reference_jf


def test_label_areas_like_mmseg():
    pred = np.array([[0, 1, 1], [2, 7, -1]])  # 7 and -1 are outside [0, 3): not counted
    gt = np.array([[0, 1, VOID], [2, 2, 1]], dtype=np.uint8)
    areas = label_areas(pred, gt, 3)
    assert areas.dtype == np.int64 and areas.shape == (4, 3)
    inter, union, area_pred, area_gt = areas
    np.testing.assert_array_equal(inter, [1, 1, 1])
    np.testing.assert_array_equal(area_pred, [1, 1, 1])
    np.testing.assert_array_equal(area_gt, [1, 2, 2])
    np.testing.assert_array_equal(union, [1, 2, 2])


def test_label_areas_of_a_stack_equal_mmseg_per_map():
    """A stack of maps (a threshold sweep) is counted at once, as IoUMetric.intersect_and_union
    counts each map: void dropped, labels outside [0, K) not counted."""
    from mmseg.evaluation.metrics import IoUMetric
    rng = np.random.default_rng(0)
    gt = rng.integers(0, NUM_CLASSES + 1, (37, 29)).astype(np.uint8)
    gt[rng.random(gt.shape) < 0.1] = VOID
    stack = rng.integers(-1, NUM_CLASSES + 2, (5, 37, 29))
    areas = label_areas(stack, gt, NUM_CLASSES)
    assert areas.shape == (5, 4, NUM_CLASSES) and areas.dtype == np.int64
    for pred, area in zip(stack, areas):
        expected = IoUMetric.intersect_and_union(torch.from_numpy(pred), torch.from_numpy(
            gt.astype(np.int64)), NUM_CLASSES, VOID)
        np.testing.assert_array_equal(area, torch.stack(expected).numpy())
        np.testing.assert_array_equal(label_areas(pred, gt, NUM_CLASSES), area)
    with pytest.raises(ValueError, match=r'pred \(3, 4\) must be a label map'):
        label_areas(np.zeros((3, 4)), gt, NUM_CLASSES)


def test_region_iou_and_absent_classes():
    areas = np.array([[3, 0, 0], [4, 2, 0], [3, 1, 0], [4, 1, 0]])  # class 2 absent from both
    iou = region_iou(areas)
    np.testing.assert_array_equal(iou[:2], [0.75, 0.0])
    assert np.isnan(iou[2])
    assert jf_from_iou(iou, np.array([1.0]))['J'] == pytest.approx(37.5)  # NaN skipped
    assert region_iou(areas, nan_to_num=0)[2] == 0  # counted as 0, as a plain mean would
    scores = jf_from_iou(np.array([0.5, np.nan]), np.array([0.2, 0.4]))
    assert scores == pytest.approx(dict(J=50.0, F=30.0, JF=40.0))


def test_one_j_for_every_metric():
    rng = np.random.default_rng(3)
    pairs = [make_pair(rng, shape) for shape in SHAPES]
    ref = reference_jf([p for p, _ in pairs], [g for _, g in pairs], NUM_CLASSES)
    classes = ('background', 'cat', 'dog', 'horse', 'sheep', 'cow')

    acc = JFAccumulator(NUM_CLASSES)
    cam_metric = CAMMetric()
    cam_metric.dataset_meta = dict(classes=classes[1:])
    jf_metric = JFMetric()
    jf_metric.dataset_meta = dict(classes=classes)
    areas, counts = 0, 0
    for pred, gt in pairs:
        acc.update(pred, gt)
        area, count = cam_metric.score_label(pred, gt)
        areas, counts = areas + area, counts + count
        sample = SegDataSample()
        sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred)[None])
        sample.gt_sem_seg = PixelData(data=torch.from_numpy(gt.astype(np.int64))[None])
        jf_metric.process({}, [sample.to_dict()])
    np.testing.assert_array_equal(areas, acc.areas)
    cam_scores = cam_metric.summarize(areas[None], counts[None])[0]
    summary = acc.summary()
    assert cam_scores == {key: summary[key] for key in ('J', 'F', 'JF')}
    assert cam_scores['J'] == pytest.approx(ref['J'], rel=1e-12)
    # JFMetric keeps mmseg's float32 areas and rounds to 2 decimals
    assert jf_metric.compute_metrics(jf_metric.results)['J'] == pytest.approx(ref['J'], abs=0.006)
