"""A tiny SIPE pipeline end to end: IS-CAM pseudo-labels with their background channel ->
SIPE's confident labels -> IRN with SIPE's walk, and the report rows (the segmentor, which reads
labels as for any method, is left out for speed)."""
import json

import numpy as np

from hfpl_mm.apis.pipeline import Pipeline, run_pipelines
from tests.conftest import TINY_SYNTHETIC
from tests.test_apis.test_pipeline import PIPELINES, tiny_pipeline


def test_tiny_sipe_pipeline(synthetic_root, tmp_path):
    options = dict(
        classifier={'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 5,
                    'model.cam_cfg.scales': (1.0, 0.5),
                    'test_evaluator.bg_thresholds': (0.3, 0.6)},
        refine_net={'train_cfg.max_epochs': 1})
    # from scratch (the pretraining is the CAM pipelines' and tested there)
    pipe = tiny_pipeline(PIPELINES / 'sipe_synthetic.py', tmp_path, synthetic_root, options,
                         remove=('pretrain', 'segmentor'))
    work = tmp_path / 'work'
    table = run_pipelines([str(pipe)], [0], str(work), synthetic_root)
    assert '| SIPE + IRN | refined | 1 |' in table

    pipeline = Pipeline(str(pipe), str(work / 'pipe' / 'seed0'), seed=0,
                        data_root=synthetic_root)
    # the IS-CAM files hold their background, which the refinement stages use
    cams = sorted((work / 'pipe/seed0/classifier/pseudo_labels/cams').iterdir())
    assert len(cams) == TINY_SYNTHETIC['num_train']
    with np.load(cams[0]) as data:
        assert data['bg'].shape == data['cams'].shape[1:] and data['bg'].max() <= 1
    assert pipeline.stage_config('refine_labels').model.background == 'channel'
    walk = pipeline.stage_config('refine_net', 'test').model.walk
    assert (walk.bg, walk.seed_resize, walk.seed_power) == ('channel', 'bilinear', 1.5)
    for stage in ('refine_labels', 'refine_net'):
        written = list((work / 'pipe/seed0' / stage / 'pseudo_labels/labels').iterdir())
        assert len(written) == TINY_SYNTHETIC['num_train']

    run = json.loads((work / 'report.json').read_text())['runs']['SIPE + IRN'][0]
    assert list(run) == ['pseudo-labels', 'confident-labels', 'refined']
    assert all(0 <= run[row]['J'] <= 100 for row in run)
    assert 'bg_thr' not in run['pseudo-labels']  # no threshold: the IS-CAM background
