"""hfpl_mm.apis.pipeline in-process: declaration errors, key selectors, the wiring of a tiny
CAM -> confident labels -> IRN -> segmentor run, skipping finished stages and ``stages=``."""
import json
from pathlib import Path

import pytest
from mmengine.config import Config, ConfigDict

from hfpl_mm.apis.pipeline import Pipeline, run_pipelines, set_by_key
from tests.conftest import ROOT, TINY_SYNTHETIC, run_tool

PIPELINES = ROOT / 'configs' / 'pipelines'
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: the synthetic pretraining set of the tiny pipelines: 32 classes x (2 train + 1 val), 32 px
TINY_PRETRAIN = dict(num_train_per_class=2, num_val_per_class=1, image_size=32)


def tiny_stage(src: Path, dst: Path, root: str, **options) -> None:
    """Dump the stage config ``src`` to ``dst``, shrunk to the tiny set; ``options`` are
    dotted keys (``--cfg-options`` style) set afterwards, except ``custom_hooks``, which are
    added to the config's own."""
    cfg = Config.fromfile(str(src))
    cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + options.pop('custom_hooks', [])
    for key in LOADERS:
        if cfg.get(key):
            cfg[key].update(batch_size=8, num_workers=0, persistent_workers=False)
            if cfg[key].dataset.type == 'SyntheticPretrainDataset':  # its own, tiny set
                cfg[key].update(batch_size=32)
                cfg[key].dataset.update(data_root=f'{root}_pretrain', pretrain_cfg=TINY_PRETRAIN)
            else:
                cfg[key].dataset.update(data_root=root, synthetic_cfg=TINY_SYNTHETIC)
    cfg.merge_from_dict(dict(options, **{'default_hooks.logger.interval': 1}))
    cfg.dump(str(dst))


def tiny_pipeline(pipeline: Path, tmp_path: Path, root: str, options: dict,
                  remove: tuple = ()) -> Path:
    """A pipeline file inheriting ``pipeline`` whose stages run tiny dumps of their configs
    (the stages in ``remove`` removed, e.g. ``('pretrain', )`` for the from-scratch regime)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    real = Pipeline(str(pipeline), str(tmp_path / 'unused'))
    lines = [f"_base_ = '{pipeline}'", 'stages = dict(']
    lines += [f'    {stage}=None,' for stage in remove]
    for stage in real.stage_names:
        if stage in remove:
            continue
        dst = tmp_path / f'{stage}.py'
        tiny_stage(real.config_path(stage), dst, root, **options.get(stage, {}))
        overrides = {k: v for k, v in real.stages[stage].config.items() if k != 'config'}
        lines.append(f"    {stage}=dict(config=dict(_delete_=True, config='{dst.name}', "
                     f"**{overrides!r})),")
    path = tmp_path / 'pipe.py'
    path.write_text('\n'.join(lines + [')']) + '\n')
    return path


def test_set_by_key_selects_list_items_by_type():
    cfg = ConfigDict(pipeline=[dict(type='A'), dict(type='LoadCAMs', power=1), dict(type='B')])
    assert set_by_key(cfg, 'pipeline[type=LoadCAMs].power', 3) == 1
    assert cfg.pipeline[1].power == 3 and 'power' not in cfg.pipeline[0]
    assert set_by_key(cfg, 'pipeline[type=Missing].power', 3) == 0
    assert set_by_key(cfg, 'model.backbone.init_cfg', dict(type='Pretrained')) == 1
    assert cfg.model.backbone.init_cfg.type == 'Pretrained'


@pytest.mark.parametrize('text, message', [
    ("stages = dict(a=dict(config='x.py', steps=('val', 'test'),\n"
     "                     calibrate={'k': 'test.cam/bg_thr'}))", 'before the last'),
    ("stages = dict(a=dict(config='x.py', steps=('val', 'test'), calibrate={'k': 'val'}))",
     '<step>.<metric>'),
    ("stages = dict(a=dict(config='x.py', steps=('test', ), report=dict(val='v')))",
     'names steps'),
    ("stages = dict()", 'non-empty dict'),
    ("stages = dict(a=dict(config=None, steps=('train', )))", 'no config path'),
    ("stages = dict(a=dict(config='x.py', steps=('fit', )))", 'steps'),
    ("stages = dict(a=dict(config='x.py', steps=('test', ), colour=1))", 'unknown keys'),
    ("stages = dict(a=dict(config='x.py', steps=('test', ), inputs={'k': 'b.labels'}))",
     'another stage'),
    ("stages = dict(a=dict(config='x.py', steps=('test', ), inputs={'k': 'b.labels'}),\n"
     "              b=dict(config='x.py', steps=('test', ), inputs={'k': 'a.labels'}))",
     'form a cycle'),
])
def test_bad_declarations_are_named(tmp_path, text, message):
    path = tmp_path / 'bad.py'
    path.write_text(text + '\n')
    with pytest.raises(ValueError, match=message) as err:
        Pipeline(str(path), str(tmp_path / 'work'))
    assert str(path) in str(err.value)


def test_unknown_artifact_and_unmatched_key_are_named(tmp_path):
    source = str(PIPELINES / 'cam_synthetic.py')
    pipeline = Pipeline(source, str(tmp_path), cfg_options={
        'stages.segmentor.inputs': {'a.b': 'classifier.crf_maps'}})
    with pytest.raises(KeyError, match="writes no artifact 'crf_maps'"):
        pipeline.stage_config('segmentor')
    pipeline = Pipeline(source, str(tmp_path), cfg_options={'stages.segmentor.options': {
        'test_dataloader.dataset.pipeline[type=LoadCAMs].power': 2}})
    with pytest.raises(KeyError, match='nothing in .* matches'):
        pipeline.stage_config('segmentor')
    # a writer's out_dir moves what the next stage reads with it
    moved = Pipeline(source, str(tmp_path), cfg_options={
        'stages.classifier.config.test_evaluator.out_dir': str(tmp_path / 'elsewhere')})
    assert moved.stage_config('segmentor').train_dataloader.dataset.data_prefix.seg_map_path \
        == str(tmp_path / 'elsewhere' / 'labels')
    with pytest.raises(KeyError, match="no stage 'segmenter'"):
        pipeline.stage_config('segmenter')


def test_a_pipeline_elsewhere_inherits_ours(tmp_path):
    (tmp_path / 'mine.py').write_text(
        f"_base_ = '{PIPELINES / 'hfpl-cam_synthetic.py'}'\nname = 'mine'\n"
        "stages = dict(segmentor=dict(config='seg.py'))\n")
    pipeline = Pipeline(str(tmp_path / 'mine.py'), str(tmp_path / 'w'))
    # declared by hfpl-cam_synthetic.py: relative to its folder
    assert pipeline.config_path('classifier') == str(
        ROOT / 'configs/cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py')
    with pytest.raises(FileNotFoundError, match='seg.py not found') as err:
        pipeline.config_path('segmentor')  # declared here, but not written
    assert str(tmp_path) in str(err.value) and str(PIPELINES) in str(err.value)


def test_tiny_irn_pipeline_wiring_skip_and_rerun(synthetic_root, tmp_path):
    source = PIPELINES / 'cam-irn_synthetic.py'
    options = dict(
        pretrain={'train_cfg.max_epochs': 2, 'train_cfg.val_interval': 2,
                  'default_hooks.checkpoint.interval': 1},
        classifier={'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 5},
        refine_net={'train_cfg.max_epochs': 1},
        segmentor={'train_cfg.max_iters': 2})
    pipe = tiny_pipeline(source, tmp_path, synthetic_root, options)
    work = tmp_path / 'work'
    pipeline = Pipeline(str(pipe), str(work / 'pipe' / 'seed0'), seed=0,
                        data_root=synthetic_root, shared_dir=str(work / '_shared'),
                        cfg_options={'stages.refine_labels.options': {
                            'test_dataloader.dataset.pipeline[type=LoadCAMs].power': 2}})
    assert pipeline.stage_names == ['pretrain', 'classifier', 'refine_labels', 'refine_net',
                                    'segmentor']
    table = run_pipelines([str(pipe)], [0], str(work), synthetic_root, cfg_options={
        'stages.refine_labels.options': {
            'test_dataloader.dataset.pipeline[type=LoadCAMs].power': 2}})
    assert '| CAM + IRN | segmentor | 1 |' in table

    # the wiring: every stage reads the folders the earlier stages' writers wrote
    seed = work / 'pipe' / 'seed0'
    cams = seed / 'classifier/pseudo_labels/cams'
    assert pipeline.artifact('classifier', 'cams') == str(cams)
    labels_cfg = pipeline.stage_config('refine_labels')
    loads = [t for t in labels_cfg.test_dataloader.dataset.pipeline if t.type == 'LoadCAMs']
    assert [(t.cam_dir, t.power) for t in loads] == [(str(cams), 2)]
    net_cfg = pipeline.stage_config('refine_net', 'test')
    assert net_cfg.train_dataloader.dataset.data_prefix.seg_map_path == str(
        seed / 'refine_labels/pseudo_labels/labels')
    # the classifier and IRN start from the pretraining, shared by the run's pipelines
    shared = work / '_shared'
    pretrained = dict(type='Pretrained', prefix='backbone.',
                      checkpoint=str(next(shared.glob('pretrain-*')) / 'epoch_2.pth'))
    assert net_cfg.model.backbone.init_cfg == pretrained
    assert pipeline.stage_config('classifier').model.backbone.init_cfg == pretrained
    assert pipeline.record('pretrain')['steps'] == {}  # a train-only stage
    assert (work / 'pipe' / 'seed0' / 'pretrain').exists() is False
    assert net_cfg.load_from == str(seed / 'refine_net/epoch_1.pth')
    seg_cfg = pipeline.stage_config('segmentor', 'train')
    assert seg_cfg.train_dataloader.dataset.data_prefix.seg_map_path == str(
        seed / 'refine_net/pseudo_labels/labels')
    assert seg_cfg.val_dataloader is None and seg_cfg.resume is True
    # every training logs its scalars into its own work dir
    def logged(stage):
        return ''.join(p.read_text() for p in (seed / stage).glob('*/vis_data/scalars.json'))

    assert all('"loss"' in logged(s) for s in ('classifier', 'refine_net', 'segmentor'))
    assert '"loss"' not in logged('refine_labels')
    for stage in ('refine_labels', 'refine_net'):
        written = sorted(p.name for p in (seed / stage / 'pseudo_labels/labels').iterdir())
        assert len(written) == TINY_SYNTHETIC['num_train']

    # the classifier's labels are written at the background score best on the val images
    classifier = pipeline.record('classifier')
    val_bg = classifier['steps']['val']['cam/bg_thr']
    assert pipeline.stage_config('classifier', 'test').test_evaluator.bg_thr == val_bg
    assert classifier['steps']['test']['pseudo/bg_thr'] == val_bg
    assert set(classifier['cost']) == {'train', 'val', 'test'}
    assert all(c['time_s'] > 0 and c['peak_mem_mb'] > 50 for c in classifier['cost'].values())

    report = json.loads((work / 'report.json').read_text())
    run = report['runs']['CAM + IRN'][0]
    assert list(run) == ['CAM (val)', 'pseudo-labels', 'confident-labels', 'refined',
                         'segmentor']
    assert all(0 <= run[row]['J'] <= 100 for row in run)
    assert run['pseudo-labels']['bg_thr'] == run['CAM (val)']['bg_thr'] == val_bg
    assert 0.05 <= run['pseudo-labels']['sweep_bg_thr'] <= 0.95
    assert list(report['costs']['CAM + IRN'][0]) == pipeline.stage_names
    assert 'Cost per stage' in (work / 'report.md').read_text()
    assert (work / 'report.png').stat().st_size > 1000

    # finished stages are skipped: same records, nothing moved aside
    records = {s: pipeline.record(s) for s in pipeline.stage_names}
    assert all(pipeline.is_done(s) for s in pipeline.stage_names)
    assert pipeline.run() == {s: r['metrics'] for s, r in records.items() if 'metrics' in r}
    assert {s: pipeline.record(s) for s in pipeline.stage_names} == records

    # report_only: the records alone (gathered elsewhere, no checkpoint) give the same report
    gathered = tmp_path / 'gathered'
    for record in work.glob('**/stage.json'):  # the seed's and the shared pretraining's
        copy = gathered / record.relative_to(work)
        copy.parent.mkdir(parents=True)
        copy.write_bytes(record.read_bytes())
    assert run_pipelines([str(pipe)], [0], str(gathered), synthetic_root,
                         report_only=True) == table
    assert json.loads((gathered / 'report.json').read_text())['runs'] == report['runs']
    with pytest.raises(FileNotFoundError, match='seed 1: no finished stage to report'):
        run_pipelines([str(pipe)], [1], str(gathered), synthetic_root, report_only=True)

    # stages=: only the segmentor runs again, its previous run is kept aside
    pipeline.run(stages=['segmentor'])
    assert pipeline.record('segmentor')['run_id'] != records['segmentor']['run_id']
    assert pipeline.record('classifier') == records['classifier']
    assert len(list(seed.glob('segmentor.replaced-*'))) == 1

    # a changed classifier makes the stages that read it stale: they refuse to be reused
    changed = Pipeline(str(pipe), str(seed), data_root=synthetic_root,
                       shared_dir=str(work / '_shared'), cfg_options={
        'stages.classifier.config.test_evaluator.bg_thr': 0.3})
    assert changed.stage_config('classifier').test_evaluator.bg_thr == 0.3  # over the options
    assert not changed.is_done('classifier')
    with pytest.raises(FileNotFoundError, match="'classifier' has not finished"):
        changed.run(stages=['segmentor'])
    # the stale stages that the selected ones do not read are left alone
    assert list(changed.run(stages=['classifier'])) == ['classifier']
    assert changed.is_done('classifier') and not changed.is_done('segmentor')


def test_structured_inputs_alternatives_removed_and_shared_stages(tmp_path):
    """Dict inputs with {stage.artifact} placeholders, 'a.x|b.y' alternatives, a stage removed
    by a child pipeline (its inputs are not set), and a shared stage's folder."""
    cls = ROOT / 'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'
    init = {'model.backbone.init_cfg': dict(type='Pretrained', prefix='backbone.',
                                            checkpoint='{pretrain.work_dir}/w.pth')}
    (tmp_path / 'base.py').write_text(
        f"stages = dict(\n"
        f"    pretrain=dict(config='{cls}', steps=('train', ), shared=True),\n"
        f"    classifier=dict(config='{cls}', steps=('train', ), inputs={init!r}),\n"
        f"    refine=dict(config='{cls}', steps=('test', ), inputs={{\n"
        f"        'load_from': 'pretrain.work_dir|classifier.work_dir'}}))\n")
    pipe = Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w'),
                    shared_dir=str(tmp_path / 'shared'))
    shared = pipe.stage_dir('pretrain')
    assert shared.startswith(str(tmp_path / 'shared' / 'pretrain-'))
    # the folder is keyed by the stage's config: another pipeline with it shares it
    other = Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w2'),
                     shared_dir=str(tmp_path / 'shared'))
    assert other.stage_dir('pretrain') == shared
    changed = Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w'),
                       shared_dir=str(tmp_path / 'shared'),
                       cfg_options={'stages.pretrain.options': {'train_cfg.max_epochs': 1}})
    assert changed.stage_dir('pretrain') != shared
    # its folder differs per pipeline seed, unless the stage fixes its own seed (one
    # pretraining for every seed, as one ImageNet checkpoint)
    seed1 = Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w'), seed=1,
                     shared_dir=str(tmp_path / 'shared'))
    assert seed1.stage_dir('pretrain') != shared
    fixed = [Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w'), seed=k,
                      shared_dir=str(tmp_path / 'shared'),
                      cfg_options={'stages.pretrain.seed': 0}) for k in (0, 1)]
    assert fixed[0].stage_dir('pretrain') == fixed[1].stage_dir('pretrain')
    assert [p.stage_config(s).randomness.seed for p in fixed for s in ('pretrain', 'classifier')
            ] == [0, 0, 0, 1]
    with pytest.raises(ValueError, match=r'stages.pretrain.seed = .0.: not an integer'):
        Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w'),
                 cfg_options={'stages.pretrain.seed': '0'})
    cfg = pipe.stage_config('classifier')
    assert cfg.model.backbone.init_cfg == dict(type='Pretrained', prefix='backbone.',
                                               checkpoint=f'{shared}/w.pth')
    assert pipe.stage_config('refine').load_from == shared
    assert pipe._fingerprint('refine')['inputs'] == {'pretrain': None}

    (tmp_path / 'scratch.py').write_text("_base_ = './base.py'\nstages = dict(pretrain=None)\n")
    scratch = Pipeline(str(tmp_path / 'scratch.py'), str(tmp_path / 'w3'))
    assert scratch.stage_names == ['classifier', 'refine']
    assert scratch.stage_config('classifier').model.backbone.init_cfg is None  # its own
    assert scratch.stage_config('refine').load_from == str(tmp_path / 'w3' / 'classifier')
    assert scratch._fingerprint('refine')['inputs'] == {'classifier': None}

    for inputs, message in (({'a': dict(x='{nowhere.checkpoint}')}, 'another stage'),
                            ({'a': 'classifier.checkpoint|nowhere.x'}, 'another stage'),
                            ({'a': dict(x='no placeholder')}, 'another stage')):
        with pytest.raises(ValueError, match=message):
            Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w'),
                     cfg_options={'stages.refine.inputs': inputs})
    with pytest.raises(ValueError, match='shared stage cannot have inputs'):
        Pipeline(str(tmp_path / 'base.py'), str(tmp_path / 'w'),
                 cfg_options={'stages.classifier.shared': True})


def test_jobs_run_units_in_processes_with_the_sequential_report(synthetic_root, tmp_path):
    """``--jobs 2``: the shared pretraining runs once, first; the (pipeline, seed) units run
    in two processes; the report equals a sequential run's (one thread each)."""
    options = dict(pretrain={'train_cfg.max_epochs': 2, 'train_cfg.val_interval': 2},
                   classifier={'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 5})
    pipes = [tiny_pipeline(PIPELINES / f'{name}_synthetic.py', tmp_path / name, synthetic_root,
                           options, remove=('segmentor', )) for name in ('cam', 'hfpl-cam')]
    pipes = [p.rename(p.parent / f'{p.parent.name}.py') for p in pipes]  # the pair's names
    reports = {}
    for jobs in (1, 2):
        work = tmp_path / f'jobs{jobs}'
        proc = run_tool('tools/run_pipeline.py', *map(str, pipes), '--seeds', '1',
                        '--work-dir', str(work), '--data-root', synthetic_root,
                        '--jobs', str(jobs))
        log = proc.stdout + proc.stderr
        assert log.count('seed 1: pretrain / train') == 1 and len(
            list((work / '_shared').glob('pretrain-*'))) == 1
        reports[jobs] = json.loads((work / 'report.json').read_text())
        assert list(reports[jobs]['runs']['CAM + ISL + FSL'][0]) == ['CAM (val)',
                                                                     'pseudo-labels']
    for key in ('runs', 'summary', 'paired'):
        assert reports[2][key] == reports[1][key], key
    assert 'CAM -> CAM + ISL + FSL' in reports[2]['paired']

    with pytest.raises(ValueError, match='jobs must be a positive integer'):
        run_pipelines([str(pipes[0])], [0], str(tmp_path / 'jobs1'), jobs=0)
    with pytest.raises(ValueError, match=r"shared stages \['pretrain'\] cannot be re-run"):
        run_pipelines([str(pipes[0])], [0], str(tmp_path / 'jobs1'), synthetic_root,
                      stages=['pretrain'], jobs=2)
