"""Tests of ``JFMetric``, built through the registries from ``SegDataSample`` dicts."""
from typing import List, Tuple

import numpy as np
import pytest
import torch
from mmengine.logging import MMLogger
from mmengine.registry import METRICS
from mmengine.structures import PixelData
from mmseg.registry import METRICS as SEG_METRICS
from mmseg.structures import SegDataSample

from hfpl_mm.evaluation.functional import JFAccumulator
from hfpl_mm.evaluation.metrics import JFMetric
from tests.test_evaluation.jf_reference import NUM_CLASSES, SHAPES, VOID, make_pair, reference_jf

CLASSES = ('background', 'cat', 'dog', 'horse', 'sheep', 'cow')
assert len(CLASSES) == NUM_CLASSES


def pack(pred: np.ndarray, gt: np.ndarray, img_path: str = 'img.jpg') -> dict:
    """A model output as ``Evaluator.process`` hands it to metrics."""
    sample = SegDataSample(metainfo=dict(img_path=img_path))
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred.astype(np.int64))[None])
    sample.gt_sem_seg = PixelData(data=torch.from_numpy(gt.astype(np.int64))[None])
    return sample.to_dict()


@pytest.fixture(scope='module')
def dataset() -> Tuple[List[np.ndarray], List[np.ndarray]]:
    rng = np.random.default_rng(2024)
    pairs = [make_pair(rng, shape) for shape in SHAPES + ((48, 48), )]
    return [p for p, _ in pairs], [g for _, g in pairs]


def evaluate(metric_cfg: dict, preds, gts, batch_size: int = 2) -> dict:
    metric = METRICS.build(metric_cfg)
    metric.dataset_meta = dict(classes=CLASSES)
    samples = [pack(p, g, f'dir/img{i}.jpg') for i, (p, g) in enumerate(zip(preds, gts))]
    for start in range(0, len(samples), batch_size):
        metric.process({}, samples[start:start + batch_size])
    return metric.evaluate(len(samples))


def test_registered_on_root_and_visible_from_child_scopes():
    from mmpretrain.registry import METRICS as CLS_METRICS
    assert METRICS.get('JFMetric') is JFMetric
    # the mmseg and mmpretrain child registries fall back to the root
    assert SEG_METRICS.get('JFMetric') is JFMetric
    assert CLS_METRICS.get('JFMetric') is JFMetric
    assert isinstance(SEG_METRICS.build(dict(type='JFMetric')), JFMetric)


def test_matches_reference(dataset):
    preds, gts = dataset
    ref = reference_jf(preds, gts, NUM_CLASSES)
    results = evaluate(dict(type='JFMetric'), preds, gts)
    assert {'aAcc', 'mIoU', 'mAcc', 'J', 'F', 'J&F'} <= set(results)
    assert results['J'] == results['mIoU']  # J is mmseg's mIoU, bit for bit
    # outputs are rounded to 2 decimals (and mmseg's IoU is float32)
    assert results['J'] == pytest.approx(ref['J'], abs=0.006)
    assert results['F'] == pytest.approx(ref['F'], abs=0.005 + 1e-9)
    assert results['J&F'] == pytest.approx(ref['JF'], abs=0.006)
    assert 0 < results['F'] < 100 and 0 < results['J'] < 100

    acc = JFAccumulator(NUM_CLASSES)
    for pred, gt in zip(preds, gts):
        acc.update(pred, gt)
    assert acc.summary()['F'] == pytest.approx(ref['F'], rel=1e-12)


def test_options_match_reference(dataset):
    preds, gts = dataset
    ref = reference_jf(preds, gts, NUM_CLASSES, bound_th=3, fg_classes=[2, 3])
    results = evaluate(
        dict(type='JFMetric', fg_classes=[2, 3], bound_th=3, iou_metrics=['mDice']), preds, gts)
    assert {'mIoU', 'mDice', 'J', 'F', 'J&F'} <= set(results)  # mIoU added for J
    assert results['J'] == results['mIoU']
    assert results['F'] == pytest.approx(ref['F'], abs=0.005 + 1e-9)
    default_f = evaluate(dict(type='JFMetric'), preds, gts)['F']
    assert abs(results['F'] - default_f) > 0.1  # the options are actually used


def test_perfect_prediction_and_void():
    gt = np.zeros((375, 500), dtype=np.uint8)
    gt[80:280, 100:300] = 1
    gt[76:80, 100:300] = VOID
    pred = np.where(gt == VOID, 0, gt)
    results = evaluate(dict(type='JFMetric'), [pred], [gt])
    assert results['J'] == 100 and results['F'] == 100 and results['J&F'] == 100
    # predicting the object over the void band: J ignores void, F sees it as background
    # (the band is 4 px wide, inside the 5 px tolerance of a 500x375 image)
    results = evaluate(dict(type='JFMetric'), [np.where(gt == VOID, 1, gt)], [gt])
    assert results['J'] == 100 and results['F'] == 100
    gt[70:80, 100:300] = VOID  # a 10 px band is beyond the tolerance
    results = evaluate(dict(type='JFMetric'), [np.where(gt == VOID, 1, gt)], [gt])
    assert results['J'] == 100 and results['F'] < 100


def test_output_dir_and_table(dataset, tmp_path, capsys):
    preds, gts = dataset
    MMLogger.get_instance('test_jf_metric_table')  # logs to this test's captured stdout
    results = evaluate(dict(type='JFMetric', output_dir=str(tmp_path)), preds, gts)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f'img{i}.png' for i in range(len(preds))]
    assert {'J', 'F', 'J&F'} <= set(results)
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if 'Class' in line)
    assert [c.strip() for c in header.strip('|').split('|')] == ['Class', 'J', 'F', 'Acc']
    background_row = next(line for line in out.splitlines() if 'background' in line)
    assert background_row.split('|')[3].strip() == '-'  # background is not scored by F


def test_format_only_skips_scores(dataset, tmp_path):
    preds, gts = dataset
    cfg = dict(type='JFMetric', format_only=True, output_dir=str(tmp_path))
    assert evaluate(cfg, preds, gts) == {}
    assert len(list(tmp_path.iterdir())) == len(preds)
