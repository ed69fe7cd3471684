"""SEAM configs: they build, HFPL only adds the losses, SEAM's recipe, a short real training."""
import re

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import hfpl_mm  # noqa: F401
from tests.conftest import ROOT, run_tool, tiny_cls_options
from tests.test_configs import _make_layout

SYNTHETIC = 'configs/seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
HFPL_SYNTHETIC = 'configs/seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
PAIRS = [('configs/seam_voc.py', 'configs/seam_hfpl_voc.py'),
         ('configs/seam_coco.py', 'configs/seam_hfpl_coco.py'), (SYNTHETIC, HFPL_SYNTHETIC)]
CONFIGS = [p for pair in PAIRS for p in pair]


def _load(path):
    return Config.fromfile(str(ROOT / path))


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds_seam(path):
    from mmpretrain.registry import MODELS
    cfg = _load(path)
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'SEAM'
    assert model.head.num_classes == cfg.model.data_preprocessor.num_classes + 1
    assert (model.head.isl is None) == ('hfpl' not in path)


@pytest.mark.parametrize('base,hfpl', PAIRS)
def test_hfpl_config_only_adds_isl_and_fsl(base, hfpl):
    base_cfg, hfpl_cfg = _load(base).to_dict(), _load(hfpl).to_dict()
    isl = hfpl_cfg['model']['head'].pop('isl')
    fsl = hfpl_cfg['model']['head'].pop('fsl')
    hfpl_cfg.pop('hfpl_seam_losses')  # the shared ISL / FSL block the head took them from
    assert (isl['type'], isl['lam'], isl['num_samples']) == ('BinomialISL', 0.2, 10)
    assert (fsl['type'], fsl['mu'], fsl['sigma']) == ('MaskedFSL', 2.5, 5.0)
    assert (fsl['norm'], fsl['background'], fsl.get('mask_absent', True)) == (
        'minmax', 'one_minus_max', True)
    assert fsl.get('loss_weight', 1.0) == (0.2 if 'coco' in hfpl else 1.0)
    for key in set(base_cfg) | set(hfpl_cfg):
        if key != 'filename':
            assert hfpl_cfg.get(key) == base_cfg.get(key), key


def test_voc_recipe():
    cfg = _load('configs/seam_voc.py')
    assert cfg.train_dataloader.batch_size == 8 and cfg.train_cfg.max_epochs == 8
    assert cfg.optim_wrapper.optimizer == dict(type='SGD', lr=0.01, momentum=5e-4,
                                               weight_decay=5e-4)
    assert cfg.param_scheduler[0].type == 'PolyLR' and not cfg.param_scheduler[0].by_epoch
    steps = {t['type']: t for t in cfg.train_dataloader.dataset.pipeline}
    assert steps['RandomCrop']['crop_size'] == 448
    assert (448 * steps['RandomResize']['ratio_range'][1]) == pytest.approx(768)
    assert steps['torchvision/ColorJitter']['hue'] == 0.1
    assert cfg.model.backbone.norm_eval and cfg.model.backbone.frozen_stages == 1
    assert cfg.model.cam_cfg == dict(scales=(0.5, 1.0, 1.5, 2.0), flip=True)
    assert _load('configs/seam_coco.py').model.head.num_classes == 81


def test_voc_train_pipeline_runs(tmp_path):
    """SEAM's augmentation on real files: any image becomes a 448 x 448 crop, padded with
    the mean colour (zero after normalisation)."""
    from mmpretrain.registry import DATASETS
    cfg = _load('configs/seam_voc.py')
    init_default_scope(cfg.default_scope)
    _make_layout(tmp_path, 20)
    cfg.train_dataloader.dataset.data_root = str(tmp_path)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    np.random.seed(0)  # scales and crops (numpy), jitter (torch)
    torch.manual_seed(0)
    corners = []
    for _ in range(12):
        inputs = dataset[0]['inputs']  # a black 40 x 50 image
        assert tuple(inputs.shape) == (3, 448, 448)
        corners.append(inputs[:, 0, 0].tolist())
    # long side 448..768: the short side (0.8x) is padded whenever it stays below 448
    assert [104, 116, 124] in corners and all(c in ([0, 0, 0], [104, 116, 124]) for c in corners)


def test_pipelines_name_seam_stages():
    for name, classifier in (('seam_synthetic', SYNTHETIC),
                             ('hfpl-seam_synthetic', HFPL_SYNTHETIC)):
        pipeline = _load(f'configs/pipelines/{name}.py')
        stage = (ROOT / 'configs/pipelines' / pipeline.classifier).resolve()
        assert stage == (ROOT / classifier).resolve()
        assert (ROOT / 'configs/pipelines' / pipeline.segmentor).is_file()
        labels = _load('configs/pipelines/' + pipeline.refine.labels).model
        # SEAM's AffinityNet labels: background powers 4 / 24, with ISL 1 / 24
        assert (labels.alpha_fg, labels.alpha_bg) == ((1, 24) if 'hfpl' in name else (4, 24))
        net = _load('configs/pipelines/' + pipeline.refine.net).model
        assert net.type == 'AffinityNet' and net.backbone.type == 'mmpretrain.ResNet38d'
        assert pipeline.refine.init_backbone
        # the recalibrated CAMs put the pseudo-labels' background score at hfpl's SEAM 0.25
        bg_thr = pipeline.pseudo_label.test_evaluator.bg_thr
        assert bg_thr**pipeline.refine.cam_power == pytest.approx(0.25, abs=0.005)


def test_synthetic_hfpl_seam_trains_and_logs_every_loss(synthetic_root, tmp_path):
    opts = tiny_cls_options(synthetic_root) + ['train_cfg.max_epochs=1',
                                               'train_cfg.val_interval=1']
    proc = run_tool('tools/train.py', HFPL_SYNTHETIC, '--work-dir', str(tmp_path), '--cfg-options',
                    *opts)
    log = proc.stdout + proc.stderr
    for name in ('loss_isl', 'loss_cls2', 'loss_er', 'loss_ecr', 'loss_min', 'loss_fsl'):
        assert re.search(rf'{name}: -?\d+\.\d+', log), name
    assert re.search(r'cam/J: \d+\.\d+\s+cam/F: \d+\.\d+', log)
    assert (tmp_path / 'epoch_1.pth').is_file()
