"""MCTformer-V2 configs and pipelines: names, they build, MCTformer's recipe (xulianuwa/MCTformer
@9606597 main.py / run.sh / run_psa.sh / run_seg.sh), the HFPL settings of the hfpl paper's
sec. 5.1, the timm augmentation on real files, and a tiny synthetic pipeline end to end. That the
HFPL configs / pipelines only add ISL / FSL is tested for every pair in test_hfpl_config_pairs.py
and test_configs_pipelines.py."""
import json
import re

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import hfpl_mm  # noqa: F401
from hfpl_mm.apis.pipeline import Pipeline, run_pipelines
from hfpl_mm.models.losses import BinomialISL, MaskedFSL
from tests.conftest import ROOT
from tests.test_apis.test_pipeline import tiny_pipeline
from tests.test_configs import _make_layout

VOC = 'configs/mctformer/mctformer-v2_deit-s_1xb64-60e_voc12aug-224x224.py'
COCO = 'configs/mctformer/mctformer-v2_deit-s_1xb64-60e_coco2014-224x224.py'
SYNTHETIC = 'configs/mctformer/mctformer-v2_vit-tiny-p8_1xb16-30e_synthetic-96x96.py'
CONFIGS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / 'configs/mctformer').glob('*.py'))
NAME = re.compile(r'(hfpl-)?mctformer-v2_(deit-s|vit-tiny-p8)_\d+xb\d+-\d+e_[a-z0-9]+-\d+x\d+\.py')
PIPELINES = ROOT / 'configs' / 'pipelines'


def _load(path):
    return Config.fromfile(str(ROOT / path))


def test_names_follow_the_scheme():
    assert len(CONFIGS) == 6 and {VOC, COCO, SYNTHETIC} <= set(CONFIGS)
    for path in CONFIGS:
        assert NAME.fullmatch(path.split('/')[-1]), path


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds_mctformer(path):
    from mmpretrain.registry import MODELS
    cfg = _load(path)
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    classes = cfg.model.data_preprocessor.num_classes
    assert type(model).__name__ == 'MCTformerV2' and model.head.num_classes == classes
    assert model.backbone.cls_token.shape[1] == classes
    assert model.head.classifier.kernel_size == (3, 3) and model.head.classifier.bias is not None
    hfpl = path.split('/')[-1].startswith('hfpl-')
    for loss in (BinomialISL, MaskedFSL):
        assert any(isinstance(m, loss) for m in model.modules()) == hfpl, (path, loss)
    if hfpl:
        isl, fsl = model.head.isl, model.head.fsl
        assert (isl.lam, isl.num_samples, isl.loss_weight) == (0.02, 10, 1.0)
        assert (fsl.mu, fsl.sigma, fsl.upsample, fsl.loss_weight) == (2.5, 5.0, 4, 0.1)
        assert (model.head.loss_map, model.head.isl_replaces) == ('patch', 'loss_patch')


def test_voc_recipe():
    cfg = _load(VOC)
    assert cfg.model.backbone.arch == 'deit-small' and cfg.model.backbone.patch_size == 16
    assert cfg.model.backbone.drop_path_rate == 0.1
    assert cfg.model.backbone.init_cfg.checkpoint == 'checkpoints/deit-small_imagenet.pth'
    assert (cfg.model.attention_type, cfg.model.cls_layers, cfg.model.patch_refine) == (
        'fused', 3, True)
    assert cfg.model.cam_cfg == dict(scales=(1.0, ), flip=True)
    assert cfg.train_dataloader.batch_size == 64 and cfg.train_cfg.max_epochs == 60
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    opt = cfg.optim_wrapper.optimizer
    assert opt.type == 'AdamW' and opt.lr == pytest.approx(6.25e-5) and opt.weight_decay == 0.05
    warmup, cosine = cfg.param_scheduler
    assert warmup.type == 'LinearLR' and warmup.end == 5
    assert warmup.start_factor * opt.lr == pytest.approx(1e-6)
    assert cosine.type == 'CosineAnnealingLR' and cosine.eta_min == 1e-5 and cosine.end == 60
    steps = {t['type']: t for t in cfg.train_dataloader.dataset.pipeline}
    assert steps['RandomResizedCrop']['scale'] == 224
    assert steps['RandomResizedCrop']['interpolation'] == 'bicubic'
    ra = steps['RandAugment']
    assert (ra['policies'], ra['magnitude_level'], ra['magnitude_std']) == (
        'timm_increasing', 9, 0.5)
    assert steps['RandomErasing']['erase_prob'] == 0.25 and steps['RandomErasing']['mode'] == 'rand'
    assert _load(COCO).model.backbone.num_class_tokens == 80


def test_voc_train_pipeline_runs(tmp_path):
    """The timm augmentation on real files: any image becomes a 224 x 224 crop."""
    from mmpretrain.registry import DATASETS
    cfg = _load(VOC)
    init_default_scope(cfg.default_scope)
    _make_layout(tmp_path, 20)
    cfg.train_dataloader.dataset.data_root = str(tmp_path)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    np.random.seed(0)
    torch.manual_seed(0)
    for _ in range(4):
        assert tuple(dataset[0]['inputs'].shape) == (3, 224, 224)


@pytest.mark.parametrize('data', ['synthetic', 'voc'])
def test_pipelines_follow_mctformer(data, tmp_path):
    """CRF-prob powers 1 / 12 for AffinityNet's labels, a random walk with the constant
    background 0.39, ResNet-38d AffinityNet (5 epochs on VOC, from ImageNet weights); VOC's CAM
    labels at 0.39 and DeepLab-LargeFOV, the synthetic ones at the val-best score."""
    for method in ('mctformer', 'hfpl-mctformer'):
        pipeline = Pipeline(str(PIPELINES / f'{method}_{data}.py'), str(tmp_path))
        labels = pipeline.stage_config('refine_labels').model
        assert (labels.method, labels.alpha_fg, labels.alpha_bg) == ('psa', 1, 12)
        net = Config.fromfile(pipeline.config_path('refine_net'))
        assert net.model.type == 'AffinityNet' and net.model.backbone.type.endswith('ResNet38d')
        walk = net.model.walk
        assert (walk.bg, walk.bg_thr, walk.beta) == ('constant', 0.39, 8)
        spec = pipeline.stages['classifier']
        seg = Config.fromfile(pipeline.config_path('segmentor'))
        if data == 'voc':
            assert net.train_cfg.max_epochs == 5 and walk.logt == 6
            assert 'resnet38d' in pipeline.stages['refine_net'].options[
                'model.backbone.init_cfg']['checkpoint']
            assert pipeline.stage_config('classifier').test_evaluator.bg_thr == 0.39
            assert seg.model.decode_head.type == 'LargeFOVHead'
        else:
            assert spec.calibrate == {'test_evaluator.bg_thr': 'val.cam/bg_thr'}


def test_tiny_synthetic_hfpl_pipeline(synthetic_root, tmp_path):
    """MCTformer-V2 + ISL + FSL -> fused CAMs -> confident labels -> AffinityNet -> DeepLab-v3+,
    one epoch / two iterations each on 16 images: every stage writes what the next one reads and
    the report has a J / F row per stage."""
    options = dict(
        classifier={'train_cfg.max_epochs': 1},
        refine_net={'train_cfg.max_epochs': 1},
        segmentor={'train_cfg.max_iters': 2})
    pipe = tiny_pipeline(PIPELINES / 'hfpl-mctformer_synthetic.py', tmp_path, synthetic_root,
                         options)
    work = tmp_path / 'work'
    table = run_pipelines([str(pipe)], [0], str(work), synthetic_root)
    assert '| MCTformer-V2 + ISL + FSL | segmentor |' in table
    seed = work / 'pipe' / 'seed0'
    log = ''.join(p.read_text() for p in (seed / 'classifier').glob('*/vis_data/scalars.json'))
    for name in ('loss_cls', 'loss_isl', 'loss_fsl'):
        assert f'"{name}"' in log, name
    cams = sorted((seed / 'classifier/pseudo_labels/cams').iterdir())
    assert len(cams) == 16
    with np.load(cams[0]) as data:
        assert data['cams'].max() == pytest.approx(1, abs=1e-2)  # min-max normalised
    for stage in ('refine_labels', 'refine_net'):
        assert len(list((seed / stage / 'pseudo_labels/labels').iterdir())) == 16
    run = json.loads((work / 'report.json').read_text())['runs']['MCTformer-V2 + ISL + FSL'][0]
    assert list(run) == ['CAM (val)', 'pseudo-labels', 'confident-labels', 'refined',
                         'segmentor']
    assert all(0 <= run[row]['J'] <= 100 for row in run)
