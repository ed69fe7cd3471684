"""Spatial-BCE configs and pipelines: the phases' wiring (weights and foreground ratios of the
previous phase, CRF labels between phases), the settings of the public code and of hfpl's
Tab. 8 (IRN conf 0.60 / 0.25, walk background 0.25 / 0.40), and a tiny run of the initial
phase -> its CRF labels -> phase 1."""
import numpy as np
import pytest
from mmengine.config import Config

from hfpl_mm.apis.pipeline import Pipeline
from tests.conftest import ROOT, TINY_SYNTHETIC
from tests.test_apis.test_pipeline import tiny_pipeline

PIPELINES = ROOT / 'configs' / 'pipelines'
PHASES = ('phase1', 'phase2', 'classifier')
RHO = 'LoadForegroundRatios'


@pytest.mark.parametrize('data', ['synthetic', 'voc'])
def test_phases_and_refinement_settings(data, tmp_path):
    for method, walk_bg in (('spatial-bce', 0.25), ('hfpl-spatial-bce', 0.40)):
        pipeline = Pipeline(str(PIPELINES / f'{method}_{data}.py'), str(tmp_path))
        names = pipeline.stage_names
        assert names[:7] == ['init', 'init_crf', 'phase1', 'phase1_crf', 'phase2', 'phase2_crf',
                             'classifier']
        previous = 'init'
        for phase in PHASES:
            inputs = pipeline.stages[phase].inputs
            assert inputs[f'train_dataloader.dataset.pipeline[type={RHO}].label_dir'] == \
                f'{previous}_crf.labels'
            assert inputs['model.init_cfg.checkpoint'] == f'{previous}.checkpoint'
            cfg = Config.fromfile(pipeline.config_path(phase))
            assert cfg.model.type == 'SpatialBCE' and cfg.model.cam_mode == 'adaptive'
            assert cfg.test_evaluator.bg_thr == 0
            assert (cfg.model.head.get('isl') is not None) == method.startswith('hfpl')
            previous = phase
        init = Config.fromfile(pipeline.config_path('init'))
        assert init.model.spatial_loss is None and init.model.cam_mode == 'optimal'
        assert pipeline.stages['init'].calibrate == {'model.cam_bg': 'val.cam/bg_thr'}
        assert init.val_dataloader.dataset.ann_file.endswith('val.txt')  # not the train masks
        crf = Config.fromfile(pipeline.config_path('phase1_crf')).model
        assert (crf.method, crf.conf_fg) == ('crf', 0)
        assert (crf.crf.bilateral, crf.crf.gaussian, crf.crf.gt_prob) == ((40, 5, 10), (3, 3), 0.7)
        labels = Config.fromfile(pipeline.config_path('refine_labels')).model
        assert (labels.method, labels.conf_fg, labels.conf_bg) == ('irn', 0.60, 0.25)
        assert pipeline.stage_config('refine_labels').model.conf_fg == 0.60
        assert pipeline.stages['refine_net'].options['model.walk.bg_thr'] == walk_bg


def test_voc_phase_is_the_public_recipe():
    cfg = Config.fromfile(
        str(ROOT / 'configs/spatial_bce/spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'))
    resize = [t for t in cfg.train_dataloader.dataset.pipeline if t.type == 'Resize']
    assert resize == [dict(type='Resize', scale=(369, 369), keep_ratio=False)]
    assert cfg.train_dataloader.batch_size == 12 and cfg.train_cfg.max_epochs == 20
    assert cfg.model.cam_cfg == dict(scales=(1.0, 0.5, 1.5, 2.0), flip=True)
    assert (cfg.model.spatial_loss.period, cfg.model.spatial_loss.score_iters) == (100, 80)
    assert cfg.param_scheduler[0].type == 'PolyLR' and cfg.param_scheduler[0].power == 0.9


def test_tiny_run_init_crf_phase1(synthetic_root, tmp_path):
    """The initial phase writes CAMs at its val-calibrated background, the CRF stage labels
    them, and phase 1 trains from the initial weights on their foreground ratios."""
    one_epoch = {'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 5,
                 'model.cam_cfg.scales': (1.0, )}
    pipe = tiny_pipeline(PIPELINES / 'spatial-bce_synthetic.py', tmp_path, synthetic_root,
                         dict(init=one_epoch, phase1=one_epoch))
    seed = tmp_path / 'work'
    pipeline = Pipeline(str(pipe), str(seed), seed=0, data_root=synthetic_root)
    for stage in ('init', 'init_crf', 'phase1'):
        pipeline.run_stage(stage)
    val_bg = pipeline.record('init')['steps']['val']['cam/bg_thr']
    assert pipeline.stage_config('init', 'test').model.cam_bg == val_bg
    crf_labels = sorted((seed / 'init_crf/pseudo_labels/labels').iterdir())
    assert len(crf_labels) == TINY_SYNTHETIC['num_train']
    cfg = pipeline.stage_config('phase1', 'train')
    rho = [t for t in cfg.train_dataloader.dataset.pipeline if t.type == RHO]
    assert rho[0].label_dir == str(seed / 'init_crf/pseudo_labels/labels')
    assert cfg.model.init_cfg == dict(type='Pretrained',
                                      checkpoint=str(seed / 'init/epoch_1.pth'))
    assert pipeline.record('phase1')['status'] == 'done'
    scalars = ''.join(p.read_text() for p in (seed / 'phase1').glob('*/vis_data/scalars.json'))
    assert '"loss_sbce"' in scalars and '"loss_prior"' in scalars
    written = np.load(next((seed / 'phase1/pseudo_labels/cams').iterdir()))
    assert written['cams'].max() <= 1


@pytest.mark.parametrize('data,num_classes', [('voc12aug', 20), ('coco2014', 80)])
def test_real_dataset_phase_loads_rho(data, num_classes, tmp_path):
    """A VOC / COCO phase reads a labelled layout and a CRF-label folder: 369x369 inputs, the
    image labels and the foreground ratios of its label file."""
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS

    from hfpl_mm.utils.io import save_palette_png
    from tests.test_configs import _make_layout
    cfg = Config.fromfile(
        str(ROOT / f'configs/spatial_bce/spatial-bce_r38d_1xb12-20e_{data}-369x369.py'))
    init_default_scope(cfg.default_scope)
    _make_layout(tmp_path, num_classes)
    crf = tmp_path / 'crf'
    crf.mkdir()
    label = np.zeros((40, 50), np.uint8)
    label[:10] = 2  # class 1 on a quarter of the image
    save_palette_png(crf / 'b.png', label)
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.data_root = str(tmp_path)
    [t for t in ds_cfg.pipeline if t.type == RHO][0].label_dir = str(crf)
    dataset = DATASETS.build(ds_cfg)
    item = dataset[1]
    assert item['inputs'].shape == (3, 369, 369)
    assert item['data_samples'].gt_label.tolist() == [1]
    rho = np.zeros(num_classes, np.float32)
    rho[1] = 0.25
    np.testing.assert_allclose(item['data_samples'].fg_ratio, rho)
