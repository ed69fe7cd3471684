"""Every pipeline config declares runnable stages: each stage config loads, every artifact it
reads is written by the stage it names, every key it sets exists; HFPL pipelines only swap the
classifier (SEAM's also its confident-label powers); refinement nets that start from the
classifier load its backbone tensor for tensor (through the package's wiring)."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import hfpl_mm  # noqa: F401
from hfpl_mm.apis.pipeline import Pipeline, _ref_exprs, set_by_key
from tests.conftest import ROOT

PIPELINES = sorted((ROOT / 'configs' / 'pipelines').glob('*.py'))
PAIRS = [(p.parent / p.name[len('hfpl-'):], p) for p in PIPELINES if p.name.startswith('hfpl-')]
#: what an HFPL pipeline may change in its baseline's declaration
HFPL_KEYS = {'name', 'stages.classifier.config.config', 'stages.refine_labels.config.config'}
# PMM: stage B (multi-crop), its second classifier, is swapped with the first
HFPL_KEYS |= {'stages.multi_crop.config.config'}
# Spatial-BCE: the classifier is its third phase, the first two are swapped with it, and the
# random walk's background is hfpl's value with FSL (0.40; 0.25 in the baseline)
HFPL_KEYS |= {'stages.phase1.config.config', 'stages.phase2.config.config',
              'stages.refine_net.options.model.walk.bg_thr'}


def _flat(d, prefix=''):
    out = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out.update(_flat(value, f'{prefix}{key}.'))
        else:
            out[f'{prefix}{key}'] = value
    return out


def test_every_family_and_data_set_has_pipelines():
    names = {p.stem for p in PIPELINES}
    assert {p.stem for p in INIT} == {'cam-irn_synthetic', 'hfpl-cam-irn_synthetic',
                                      'seam_synthetic', 'hfpl-seam_synthetic',
                                      'sipe_synthetic', 'hfpl-sipe_synthetic',
                                      'spatial-bce_synthetic', 'hfpl-spatial-bce_synthetic'}
    for method in ('cam', 'hfpl-cam', 'cam-irn', 'hfpl-cam-irn', 'seam', 'hfpl-seam'):
        assert f'{method}_synthetic' in names
    for method in ('cam-irn', 'hfpl-cam-irn', 'seam', 'hfpl-seam'):
        assert {f'{method}_voc', f'{method}_coco'} <= names
    # every baseline pipeline has its HFPL pair (a count would race the methods being added)
    assert {f'hfpl-{m}_{d}' for m in ('cam-irn', 'seam') for d in ('synthetic', 'voc', 'coco')} \
        | {f'hfpl-{m}_{d}' for m in ('sipe', 'mctformer', 'spatial-bce')
           for d in ('synthetic', 'voc')} | {'hfpl-cam_synthetic'} <= {p.stem for _, p in PAIRS}
    assert len(PAIRS) >= 13


@pytest.mark.parametrize('path', PIPELINES, ids=lambda p: p.stem)
def test_stages_load_and_wire(path: Path, tmp_path):
    pipeline = Pipeline(str(path), str(tmp_path))
    # the classifier comes first unless it trains on earlier stages' output (Spatial-BCE's
    # third phase); the first stage reads nothing
    assert 'classifier' in pipeline.stage_names and pipeline.stage_names[-1] == 'segmentor'
    assert not pipeline.stages[pipeline.stage_names[0]].get('inputs')
    for stage, spec in pipeline.stages.items():
        refs = {key: [a.strip().partition('.') for e in _ref_exprs(value) for a in e.split('|')]
                for key, value in (spec.get('inputs') or {}).items()}
        if any(art == 'checkpoint' for alts in refs.values() for _, _, art in alts):
            # it exists once the stage ran: check the other artifacts, the keys
            cfg = Config.fromfile(pipeline.config_path(stage))
            for key, alternatives in refs.items():
                for src, _, artifact in alternatives:
                    if artifact != 'checkpoint' and src in pipeline.stages:
                        pipeline.artifact(src, artifact)
                assert set_by_key(cfg, key, 'x') >= 1, (stage, key)
        else:
            cfg = pipeline.stage_config(stage)
            assert cfg.work_dir == pipeline.stage_dir(stage)
            assert spec.get('shared') or cfg.work_dir == str(tmp_path / stage)
            if pipeline.data_root and spec.get('data_root', True) is not False:
                assert cfg.test_dataloader.dataset.data_root == pipeline.data_root
        assert spec.get('report') or spec.get('shared')  # a shared pretraining reports nothing


@pytest.mark.parametrize('baseline, hfpl', PAIRS, ids=lambda p: p.stem)
def test_hfpl_pipeline_only_swaps_the_classifier(baseline: Path, hfpl: Path, tmp_path):
    base = _flat(Pipeline(str(baseline), str(tmp_path)).cfg.to_dict())
    ours = _flat(Pipeline(str(hfpl), str(tmp_path)).cfg.to_dict())
    changed = {k for k in base.keys() | ours.keys() if base.get(k) != ours.get(k)}
    assert 'stages.classifier.config.config' in changed
    assert changed <= HFPL_KEYS, changed - HFPL_KEYS
    assert 'hfpl-' in Path(ours['stages.classifier.config.config']).name


def _starts_from_classifier(path: Path) -> bool:
    stages = Pipeline(str(path), 'work_dirs/unused').stages
    inputs = stages['refine_net'].get('inputs') or {} if 'refine_net' in stages else {}
    return any(key.startswith('model.backbone.init_cfg') for key in inputs)


INIT = [p for p in PIPELINES if _starts_from_classifier(p)]


@pytest.mark.parametrize('path', INIT, ids=lambda p: p.stem)
def test_refine_net_starts_from_the_classifier(path: Path, tmp_path):
    ckpt = tmp_path / 'classifier.pth'
    # (Spatial-BCE's classifier starts from its previous phase: any file will do to build it)
    # (the synthetic CAM / SEAM nets start from the pretraining: the same file stands for it)
    pipeline = Pipeline(str(path), str(tmp_path), artifacts={'classifier.checkpoint': str(ckpt),
                                                              'phase2.checkpoint': str(ckpt),
                                                              'pretrain.checkpoint': str(ckpt)})
    cls_cfg = pipeline.stage_config('classifier')
    init_default_scope(cls_cfg.default_scope)
    from mmpretrain.registry import MODELS as CLS_MODELS
    classifier = CLS_MODELS.build(cls_cfg.model)
    torch.save(dict(state_dict=classifier.state_dict()), ckpt)

    net_cfg = pipeline.stage_config('refine_net', 'train')
    init_default_scope('mmseg')
    from mmseg.registry import MODELS as SEG_MODELS
    net = SEG_MODELS.build(net_cfg.model)
    net.init_weights()
    expected = classifier.backbone.state_dict()
    loaded = net.backbone.state_dict()
    assert loaded.keys() == expected.keys()
    for key, value in expected.items():
        torch.testing.assert_close(loaded[key], value, msg=key)


@pytest.mark.parametrize('data', ['synthetic', 'voc', 'coco'])
def test_seam_pipelines_calibration(data, tmp_path):
    """SEAM's VOC / COCO labels are written at hfpl's SEAM background 0.25; the synthetic ones
    at the score that was best on the validation images; AffinityNet's confident labels use
    the background powers 4 / 24, with ISL 1 / 24, on the CAMs as written; AffinityNet runs
    on ResNet-38d."""
    for method, alpha_fg in (('seam', 4), ('hfpl-seam', 1)):
        pipeline = Pipeline(str(ROOT / f'configs/pipelines/{method}_{data}.py'), str(tmp_path))
        spec = pipeline.stages['classifier']
        if data == 'synthetic':
            assert spec.steps == ('train', 'val', 'test')
            assert spec.calibrate == {'test_evaluator.bg_thr': 'val.cam/bg_thr'}
        else:
            assert 'calibrate' not in spec
            assert pipeline.stage_config('classifier').test_evaluator.bg_thr == 0.25
        labels = pipeline.stage_config('refine_labels')
        powers = [t.get('power', 1) for t in labels.test_dataloader.dataset.pipeline
                  if t.type == 'LoadCAMs']
        assert powers == [1]
        assert (labels.model.alpha_fg, labels.model.alpha_bg) == (alpha_fg, 24)
        net = Config.fromfile(pipeline.config_path('refine_net'))
        assert net.model.type == 'AffinityNet' and net.model.backbone.type.endswith('ResNet38d')
        options = pipeline.stages['refine_net'].get('options') or {}
        assert not [k for k in options if k.endswith('LoadCAMs].power')]
