"""Tests of ``CAMMetric``: the background-threshold sweep of CAM pseudo-labels against the
independent J / F reference."""
import json
from typing import List, Tuple

import numpy as np
import pytest
import torch
from mmengine.registry import METRICS
from PIL import Image

from hfpl_mm.evaluation.metrics import CAMMetric
from tests.test_evaluation.jf_reference import NUM_CLASSES, SHAPES, make_pair, reference_jf

CLASSES = ('cat', 'dog', 'horse', 'sheep', 'cow')  # a classification set: no background
THRESHOLDS = (0.1, 0.3, 0.5, 0.7, 0.9)


@pytest.fixture(scope='module')
def samples(tmp_path_factory) -> Tuple[List[dict], List[np.ndarray]]:
    """CAMs that peak on the predicted regions (plus noise), the image labels and GT PNGs."""
    folder = tmp_path_factory.mktemp('gt')
    rng = np.random.default_rng(7)
    samples, gts = [], []
    for i, shape in enumerate(SHAPES):
        pred, gt = make_pair(rng, shape)
        cam = rng.random((NUM_CLASSES - 1, ) + shape).astype(np.float32)
        for c in range(1, NUM_CLASSES):
            cam[c - 1] += 2.0 * (pred == c)
        Image.fromarray(gt).save(folder / f'{i}.png')
        labels = sorted({int(c) - 1 for c in np.unique(gt) if 0 < c < 255} | {0})
        samples.append(dict(cam=torch.from_numpy(cam) - 0.3, gt_label=torch.tensor(labels),
                            seg_map_path=str(folder / f'{i}.png')))
        gts.append(gt)
    return samples, gts


def reference_labels(sample: dict, bg_thr: float) -> np.ndarray:
    """The pseudo-label of the public evaluation, in numpy: ReLU, keep the image's classes,
    max-normalise, then the argmax over [bg_thr, CAMs] (background wins ties)."""
    cam = np.maximum(sample['cam'].numpy(), 0)
    keep = np.zeros(len(cam), bool)
    keep[sample['gt_label'].numpy()] = True
    cam = cam * keep[:, None, None]
    cam = cam / (cam.max(axis=(1, 2), keepdims=True) + np.float32(1e-5))
    return np.where(cam.max(0) > bg_thr, cam.argmax(0) + 1, 0)


def build(**kwargs) -> CAMMetric:
    metric = METRICS.build(dict(type='CAMMetric', bg_thresholds=THRESHOLDS, **kwargs))
    metric.dataset_meta = dict(classes=CLASSES)
    return metric


def test_registered_on_root_and_visible_from_mmpretrain():
    from mmpretrain.registry import METRICS as CLS_METRICS
    assert METRICS.get('CAMMetric') is CAMMetric
    assert CLS_METRICS.get('CAMMetric') is CAMMetric


def test_sweep_matches_reference(samples):
    samples, gts = samples
    metric = build()
    metric.process({}, samples[:2])
    metric.process({}, samples[2:])
    areas, counts = (sum(r[i] for r in metric.results) for i in (0, 1))
    assert areas.shape == (len(THRESHOLDS), 4, NUM_CLASSES)
    assert counts.shape == (len(THRESHOLDS), NUM_CLASSES - 1, 4)
    sweep = metric.summarize(areas, counts)
    refs = []
    for t, scores in zip(THRESHOLDS, sweep):
        ref = reference_jf([reference_labels(s, t) for s in samples], gts, NUM_CLASSES)
        assert scores['J'] == pytest.approx(ref['J'], rel=1e-12)
        assert scores['F'] == pytest.approx(ref['F'], rel=1e-12)
        assert scores['JF'] == pytest.approx(ref['JF'], rel=1e-12)
        refs.append(ref)
    best = int(np.argmax([r['J'] for r in refs]))
    assert 0 < best < len(THRESHOLDS) - 1  # the sweep has an interior optimum
    results = metric.compute_metrics(metric.results)
    assert results == {'J': round(refs[best]['J'], 2), 'F': round(refs[best]['F'], 2),
                       'J&F': round(refs[best]['JF'], 2), 'bg_thr': THRESHOLDS[best]}


def test_score_label(samples):
    samples, gts = samples
    label = reference_labels(samples[0], 0.5)
    areas, counts = build().score_label(label, gts[0])
    assert areas.shape == (4, NUM_CLASSES) and counts.shape == (NUM_CLASSES - 1, 4)
    ref = reference_jf([label], [gts[0]], NUM_CLASSES)
    np.testing.assert_array_equal(counts, ref['counts'])
    scores = build().summarize(areas[None], counts[None])
    assert len(scores) == 1 and scores[0]['J'] == pytest.approx(ref['J'], rel=1e-12)


def test_sweep_file(samples, tmp_path):
    samples, _ = samples
    metric = build(sweep_file=str(tmp_path / 'sweep' / 'bg.json'))
    metric.process({}, samples)
    results = metric.compute_metrics(metric.results)
    rows = json.loads((tmp_path / 'sweep' / 'bg.json').read_text())
    assert [r['bg_thr'] for r in rows] == list(THRESHOLDS)
    assert max(rows, key=lambda r: r['J'])['bg_thr'] == results['bg_thr']
    assert (tmp_path / 'sweep' / 'bg.png').stat().st_size > 0


def test_bad_inputs(samples):
    sample = samples[0][0]
    with pytest.raises(KeyError, match='predict `cam`'):
        build().process({}, [{k: v for k, v in sample.items() if k != 'cam'}])
    with pytest.raises(KeyError, match='seg_map_path'):
        build().process({}, [{k: v for k, v in sample.items() if k != 'seg_map_path'}])
    with pytest.raises(ValueError, match='bg_thresholds'):
        CAMMetric(bg_thresholds=())


def test_plain_mean_counts_absent_classes_as_zero(samples):
    """hfpl's ``eval_cam_voc.py`` averages IoU over all classes (an absent one counts 0);
    mmseg's nanmean skips it. Class 5 never appears in GT or prediction here."""
    samples, gts = samples
    nan, plain = build(), build(mean='plain')
    for metric in (nan, plain):
        metric.process({}, samples)
    res_nan = nan.compute_metrics(nan.results)
    res_plain = plain.compute_metrics(plain.results)
    ref = reference_jf([reference_labels(s, res_nan['bg_thr']) for s in samples], gts,
                       NUM_CLASSES)
    assert res_nan['J'] == round(ref['J'], 2)
    # 5 of the 6 classes are present: the plain mean is 5/6 of the nanmean at every threshold
    scores_nan = nan.summarize(*(sum(r[i] for r in nan.results) for i in (0, 1)))
    scores_plain = plain.summarize(*(sum(r[i] for r in plain.results) for i in (0, 1)))
    for a, b in zip(scores_nan, scores_plain):
        assert b['J'] == pytest.approx(a['J'] * 5 / 6, rel=1e-12)
        assert b['F'] == a['F']
    assert res_plain['bg_thr'] == res_nan['bg_thr']
    with pytest.raises(ValueError, match='mean'):
        build(mean='median')


def test_f_at_fixed_background_score(samples):
    """F (and J&F) at a fixed score (hfpl scores SEAM's CAM F at 0.25) instead of the best J's;
    a score missing from the sweep is added to it."""
    samples, gts = samples
    metric = build(f_bg_thr=0.25)
    assert 0.25 in metric.bg_thresholds and len(metric.bg_thresholds) == len(THRESHOLDS) + 1
    metric.process({}, samples)
    res = metric.compute_metrics(metric.results)
    best = reference_jf([reference_labels(s, res['bg_thr']) for s in samples], gts, NUM_CLASSES)
    fixed = reference_jf([reference_labels(s, 0.25) for s in samples], gts, NUM_CLASSES)
    assert res['bg_thr'] != 0.25 and res['F_bg_thr'] == 0.25
    assert res['J'] == round(best['J'], 2)
    assert res['F'] == round(fixed['F'], 2) != round(best['F'], 2)
    assert res['J&F'] == round((best['J'] + fixed['F']) / 2, 2)
