"""LoadCAMs (good and bad CAM files) and the refined-label writer (files, scores, resume)."""
import numpy as np
import pytest
import torch
from PIL import Image

import hfpl_mm  # noqa: F401
from hfpl_mm.datasets.refine_dataset import LoadCAMs
from hfpl_mm.models.refinement import RefinedLabelMetric


def _write_cams(folder, stem, cams, labels):
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / f'{stem}.npz', cams=cams.astype(np.float16),
                        labels=np.asarray(labels, np.int64))


def test_load_cams(tmp_path):
    cams = np.random.rand(2, 6, 8).astype(np.float32)
    _write_cams(tmp_path, 'img1', cams, [3, 5])
    results = LoadCAMs(cam_dir=str(tmp_path))(
        dict(img_path='/data/JPEGImages/img1.jpg', ori_shape=(6, 8)))
    assert results['cams'].dtype == np.float32 and results['cams'].shape == (2, 6, 8)
    np.testing.assert_allclose(results['cams'], cams, atol=1e-3)
    assert results['cam_labels'].tolist() == [3, 5]
    squared = LoadCAMs(cam_dir=str(tmp_path), power=2)(
        dict(img_path='/data/JPEGImages/img1.jpg', ori_shape=(6, 8)))['cams']
    np.testing.assert_allclose(squared, results['cams']**2, rtol=1e-6)
    with pytest.raises(ValueError, match='power must be positive'):
        LoadCAMs(power=0)


def test_load_cams_bad_input_names_the_file(tmp_path):
    info = dict(img_path='/data/JPEGImages/img1.jpg', ori_shape=(6, 8))
    with pytest.raises(ValueError, match='cam_dir is not set'):
        LoadCAMs()(dict(info))
    with pytest.raises(FileNotFoundError, match=str(tmp_path / 'img1.npz')):
        LoadCAMs(cam_dir=str(tmp_path))(dict(info))
    (tmp_path / 'img1.npz').write_bytes(b'not a zip file')
    with pytest.raises(ValueError, match=str(tmp_path / 'img1.npz')):
        LoadCAMs(cam_dir=str(tmp_path))(dict(info))
    _write_cams(tmp_path, 'img1', np.zeros((1, 5, 8)), [0])  # another image's size
    with pytest.raises(ValueError, match=r'img1.npz holds cams \(1, 5, 8\)'):
        LoadCAMs(cam_dir=str(tmp_path))(dict(info))


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
