"""SEAM configs: names, entry points, they build, the HFPL losses' settings, SEAM's recipe, a short
real training. That HFPL configs only add ISL / FSL is tested for every pair in
test_hfpl_config_pairs.py."""
import re

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import hfpl_mm  # noqa: F401
from hfpl_mm.models.losses import BinomialISL, MaskedFSL
from tests.conftest import ROOT, run_tool, tiny_cls_options
from tests.test_configs import _make_layout

SYNTHETIC = 'configs/seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
HFPL_SYNTHETIC = 'configs/seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
VOC = 'configs/seam/seam_r38d_1xb8-8e_voc12aug-448x448.py'
COCO = 'configs/seam/seam_r38d_1xb8-8e_coco2014-448x448.py'
# the documented entry points and the configs they stand for
ENTRY_POINTS = {
    'configs/seam_voc.py': VOC,
    'configs/seam_hfpl_voc.py': 'configs/seam/hfpl-seam_r38d_1xb8-8e_voc12aug-448x448.py',
    'configs/seam_coco.py': COCO,
    'configs/seam_hfpl_coco.py': 'configs/seam/hfpl-seam_r38d_1xb8-8e_coco2014-448x448.py',
}
CONFIGS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / 'configs/seam').glob('*.py'))
# {algo}_{backbone}_{N}xb{B}-{schedule}_{data}-{crop}.py
NAME = re.compile(r'(hfpl-)?seam_r38d(-slim)?_\d+xb\d+-\d+e_[a-z0-9]+-\d+x\d+\.py')


def _load(path):
    return Config.fromfile(str(ROOT / path))


def _find(cfg, loss_type):
    """Every dict of type ``loss_type`` in a resolved config, wherever the model attaches it."""
    if isinstance(cfg, dict):
        found = [cfg] if cfg.get('type') == loss_type else []
        return found + [d for v in cfg.values() for d in _find(v, loss_type)]
    if isinstance(cfg, (list, tuple)):
        return [d for v in cfg for d in _find(v, loss_type)]
    return []


def test_names_follow_the_scheme():
    assert set(ENTRY_POINTS.values()) | {SYNTHETIC, HFPL_SYNTHETIC} <= set(CONFIGS)
    for path in CONFIGS:
        assert NAME.fullmatch(path.split('/')[-1]), path


@pytest.mark.parametrize('entry,config', ENTRY_POINTS.items())
def test_entry_points_resolve_to_scheme_configs(entry, config):
    assert _load(entry).to_dict() == _load(config).to_dict()


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds_seam(path):
    from mmpretrain.registry import MODELS
    cfg = _load(path)
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'SEAM'
    assert model.head.num_classes == cfg.model.data_preprocessor.num_classes + 1
    hfpl = path.split('/')[-1].startswith('hfpl-')
    for loss in (BinomialISL, MaskedFSL):
        assert any(isinstance(m, loss) for m in model.modules()) == hfpl, (path, loss)


@pytest.mark.parametrize('path', [p for p in CONFIGS if p.split('/')[-1].startswith('hfpl-')])
def test_hfpl_loss_settings(path):
    """arvijj/hfpl's settings: ISL lambda 0.2 with 10 samples; FSL mu 2.5, sigma 5 on the
    min-max normalised CAM with the 1 - max background, weight 0.2 on COCO."""
    model = _load(path).to_dict()['model']
    (isl, ), (fsl, ) = _find(model, 'BinomialISL'), _find(model, 'MaskedFSL')
    assert (isl['lam'], isl['num_samples']) == (0.2, 10)
    assert (fsl['mu'], fsl['sigma']) == (2.5, 5.0)
    assert (fsl['norm'], fsl['background'], fsl.get('mask_absent', True)) == (
        'minmax', 'one_minus_max', True)
    assert fsl.get('loss_weight', 1.0) == (0.2 if 'coco' in path else 1.0)


def test_voc_recipe():
    cfg = _load(VOC)
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
    assert _load(COCO).model.head.num_classes == 81


def test_voc_train_pipeline_runs(tmp_path):
    """SEAM's augmentation on real files: any image becomes a 448 x 448 crop, padded with
    the mean colour (zero after normalisation)."""
    from mmpretrain.registry import DATASETS
    cfg = _load(VOC)
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
