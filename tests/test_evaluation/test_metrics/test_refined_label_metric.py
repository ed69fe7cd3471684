"""The refined-label writer (files, scores, resume)."""
import numpy as np
import pytest
import torch
from PIL import Image

import hfpl_mm  # noqa: F401
from hfpl_mm.evaluation.metrics import RefinedLabelMetric


def _sample(tmp_path, pred=None):
    sample = dict(img_path=str(tmp_path / 'JPEGImages/a.jpg'),
                  seg_map_path=str(tmp_path / 'gt/a.png'))
    if pred is not None:
        sample['pred_sem_seg'] = dict(data=torch.from_numpy(pred)[None])
    return sample


def test_refined_label_metric_writes_scores_and_resumes(tmp_path):
    gt = np.zeros((20, 30), np.uint8)
    gt[5:15, 5:15] = 1
    (tmp_path / 'gt').mkdir()
    Image.fromarray(gt).save(tmp_path / 'gt/a.png')
    pred = np.zeros_like(gt)
    pred[5:15, 5:10] = 1  # half of the object
    pred[0, 0] = 255  # an unsure pixel

    def run(*samples):
        metric = RefinedLabelMetric(out_dir=str(tmp_path / 'out'))
        metric.dataset_meta = dict(classes=('background', 'thing'))
        metric.process({}, list(samples))
        return metric, metric.compute_metrics(metric.results)

    metric, scores = run(_sample(tmp_path, pred))
    assert metric.num_classes == 2
    written = np.array(Image.open(tmp_path / 'out/labels/a.png'))
    assert Image.open(tmp_path / 'out/labels/a.png').mode == 'P'
    assert np.array_equal(written, pred)
    assert not (tmp_path / 'out/cams').exists()
    # J: background 499 / 550 (the unsure pixel counts for neither), object 50 / 100
    assert scores['J'] == pytest.approx(100 * (499 / 550 + 0.5) / 2, abs=0.01)
    assert scores['num_scored'] == 1 and 'sweep_J' not in scores
    assert metric.is_done(_sample(tmp_path))
    _, resumed = run(_sample(tmp_path))  # no prediction: read back from disk
    assert resumed == scores
    metric.dataset_meta = dict(classes=('thing', ))  # a classification data set's classes
    assert metric.num_classes == 2
