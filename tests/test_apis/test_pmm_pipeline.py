"""A tiny PMM + ISL + FSL pipeline end to end: stage A CAMs -> CRF regions -> crops of stage B
labelled by them -> multi-crop CAMs -> PPMG -> PSPNet with PUF -> cyclic masks -> PSPNet."""
import json

import numpy as np

from hfpl_mm.apis.pipeline import Pipeline, run_pipelines
from hfpl_mm.utils.io import read_label_png
from tests.conftest import TINY_SYNTHETIC
from tests.test_apis.test_pipeline import PIPELINES, tiny_pipeline


def test_tiny_hfpl_pmm_pipeline(synthetic_root, tmp_path):
    test = {'model.test_cfg.ratios': (1.0, ), 'model.test_cfg.flip': False}
    seg = dict(test, **{'train_cfg.max_iters': 2})
    options = dict(
        classifier={'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 5,
                    'model.cam_cfg.scales': (1.0, ), 'test_evaluator.bg_thresholds': (0.3, 0.6)},
        multi_crop={'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 5,
                    'model.crop_cfg.scales': (1.0, 1.5),
                    'test_evaluator.bg_thresholds': (0.3, 0.6)},
        segmentor_puf=seg, cyclic_masks=test, segmentor=seg)
    pipe = tiny_pipeline(PIPELINES / 'hfpl-pmm_synthetic.py', tmp_path, synthetic_root, options)
    work = tmp_path / 'work'
    table = run_pipelines([str(pipe)], [0], str(work), synthetic_root)
    assert '| PMM + ISL + FSL | segmentor (cyclic) | 1 |' in table

    seed = work / 'pipe' / 'seed0'
    pipeline = Pipeline(str(pipe), str(seed), seed=0, data_root=synthetic_root)
    # stage B trains on crops labelled by the CRF regions of stage A's CAMs, with FSL only
    mc = pipeline.stage_config('multi_crop', 'train')
    crop = [t for t in mc.train_dataloader.dataset.pipeline if t.type == 'MultiCropSample']
    assert crop[0].region_dir == str(seed / 'crf_regions/pseudo_labels/labels')
    assert 'fsl' in mc.model.head and 'isl' not in mc.model.head
    assert 'isl' in pipeline.stage_config('classifier', 'train').model.head
    for stage in ('crf_regions', 'ppmg', 'cyclic_masks'):
        written = sorted((seed / stage / 'pseudo_labels/labels').iterdir())
        assert len(written) == TINY_SYNTHETIC['num_train'], stage
    # PPMG labels only the image's classes
    with np.load(next((seed / 'multi_crop/pseudo_labels/cams').iterdir())) as cams:
        labels = cams['labels']
    first = sorted((seed / 'ppmg/pseudo_labels/labels').iterdir())[0]
    assert set(np.unique(read_label_png(str(first)))) <= {0} | set(labels + 1)
    # the cyclic masks come from the PUF segmentor and train the last one
    assert pipeline.stage_config('cyclic_masks').load_from == str(
        seed / 'segmentor_puf/iter_2.pth')
    assert pipeline.stage_config('segmentor', 'train').train_dataloader.dataset.data_prefix \
        .seg_map_path == str(seed / 'cyclic_masks/pseudo_labels/labels')
    assert pipeline.stage_config('segmentor_puf', 'train').model.decode_head.loss_decode.type \
        == 'PUFCrossEntropyLoss'

    run = json.loads((work / 'report.json').read_text())['runs']['PMM + ISL + FSL'][0]
    assert list(run) == ['stage-A CAM (val)', 'stage-A CAM', 'stage-A CRF regions',
                         'stage-B CAM (val)', 'stage-B CAM', 'PPMG labels', 'segmentor (PUF)',
                         'cyclic masks', 'segmentor (cyclic)']
    assert all(0 <= run[row]['J'] <= 100 for row in run)
