"""BgChannelPseudoLabelMetric: SIPE's pseudo-labels (argmax with the IS-CAM background), the
saved background that LoadCAMs reads back, and a resumed run scoring the same."""
import numpy as np
import pytest
import torch
from PIL import Image

import hfpl_mm  # noqa: F401
from hfpl_mm.datasets import LoadCAMs
from hfpl_mm.evaluation import BgChannelPseudoLabelMetric
from hfpl_mm.utils.io import read_label_png

CLASSES = ('a', 'b', 'c', 'd')


def _sipe_label(is_cam: np.ndarray, labels) -> np.ndarray:
    """make_cam.py + eval_cam.py of chenqi1126/SIPE: each IS-CAM channel (background first)
    divided by its max + 1e-5, the background and present classes kept, argmax -> keys."""
    norm = is_cam / (is_cam.max(axis=(1, 2), keepdims=True) + 1e-5)
    keys = np.array([0] + [c + 1 for c in labels])
    return keys[np.argmax(norm[keys], axis=0)]


def _samples(tmp_path):
    rng = np.random.default_rng(0)
    samples = []
    for i, labels in enumerate(([0, 2], [3])):
        is_cam = rng.random((1 + len(CLASSES), 7, 9)).astype(np.float32) * 3
        gt = _sipe_label(is_cam, labels).astype(np.uint8)
        gt[0, :3] = 255
        gt_path = tmp_path / f'gt{i}.png'
        Image.fromarray(gt).save(gt_path)
        samples.append(dict(img_path=f'/d/JPEGImages/img{i}.jpg', seg_map_path=str(gt_path),
                            ori_shape=(7, 9), gt_label=torch.tensor(labels),
                            cam=torch.from_numpy(is_cam[1:]), cam_bg=torch.from_numpy(is_cam[0]),
                            is_cam=is_cam))
    return samples


def _metric(out_dir):
    metric = BgChannelPseudoLabelMetric(out_dir=str(out_dir), bg_thresholds=(0.2, 0.5))
    metric.dataset_meta = dict(classes=CLASSES)
    return metric


def test_labels_are_the_argmax_with_the_background_channel(tmp_path):
    samples = _samples(tmp_path)
    metric = _metric(tmp_path / 'out')
    metric.process(None, [{k: v for k, v in s.items() if k != 'is_cam'} for s in samples])
    metrics = metric.compute_metrics(metric.results)
    for i, s in enumerate(samples):
        label = read_label_png(str(tmp_path / f'out/labels/img{i}.png'))
        np.testing.assert_array_equal(label, _sipe_label(s['is_cam'], s['gt_label'].tolist()))
        loaded = LoadCAMs(cam_dir=str(tmp_path / 'out/cams'))(
            dict(img_path=s['img_path'], ori_shape=(7, 9)))
        bg = s['is_cam'][0] / (s['is_cam'][0].max() + 1e-5)
        np.testing.assert_allclose(loaded['cam_bg'], bg, atol=1e-3)
        assert loaded['cam_labels'].tolist() == s['gt_label'].tolist()
    # the masks are the SIPE labels (void aside): perfect J; no threshold is reported
    assert metrics['J'] == 100. and metrics['num_scored'] == 2
    assert 'bg_thr' not in metrics and 'sweep_J' in metrics
    # a resumed run reads the files back and scores the same
    resumed = _metric(tmp_path / 'out')
    resumed.process(None, [dict(img_path=s['img_path'], seg_map_path=s['seg_map_path'],
                                ori_shape=(7, 9), gt_label=s['gt_label']) for s in samples])
    assert resumed.compute_metrics(resumed.results) == metrics


def test_bad_input(tmp_path):
    with pytest.raises(TypeError, match='no bg_thr'):
        BgChannelPseudoLabelMetric(bg_thr=0.3)
    sample = {k: v for k, v in _samples(tmp_path)[0].items() if k not in ('is_cam', 'cam_bg')}
    with pytest.raises(KeyError, match='cam_bg'):
        _metric(tmp_path / 'out').process(None, [sample])
