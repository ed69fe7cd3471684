"""A tiny synthetic pipeline with IRN refinement end to end: classifier -> CAM pseudo-labels ->
confident labels -> IRN -> random walk -> segmentor, with the report's 'refined' row, then a
resumed run that recomputes nothing."""
import json
import re

from mmengine.config import Config, DictAction

from tests.conftest import ROOT, TINY_SYNTHETIC, run_tool, tiny_cls_options

PIPELINE = ROOT / 'configs/pipelines/cam-irn_synthetic.py'
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def _tiny_stage(src, dst, root, **options):
    """Dump the stage config ``src`` to ``dst``, shrunk to the tiny set and a few iterations."""
    cfg = Config.fromfile(str(src))
    for key in LOADERS:
        if cfg.get(key):
            cfg[key].update(batch_size=8, num_workers=0, persistent_workers=False)
            cfg[key].dataset.update(data_root=root, synthetic_cfg=TINY_SYNTHETIC)
    cfg.merge_from_dict(dict(options, **{'default_hooks.logger.interval': 1}))
    cfg.dump(str(dst))


def _parse(options):
    """``['a.b=1', ...]`` (--cfg-options strings) as a dict."""
    return {key: DictAction._parse_iterable(value)
            for key, value in (option.split('=', 1) for option in options)}


def test_pipeline_with_irn_refinement(synthetic_root, tmp_path):
    pipeline = Config.fromfile(str(PIPELINE))
    cls_options = _parse(tiny_cls_options(synthetic_root) +
                         ['train_cfg.max_epochs=1', 'train_cfg.val_interval=5'])
    stages = dict(
        cls=(pipeline.classifier, cls_options),
        labels=(pipeline.refine.labels, {}),
        irn=(pipeline.refine.net, {'train_cfg.max_epochs': 1}),
        seg=(pipeline.segmentor, {'train_cfg.max_iters': 2, 'train_cfg.val_interval': 5}))
    for name, (path, options) in stages.items():
        _tiny_stage(PIPELINE.parent / path, tmp_path / f'{name}.py', synthetic_root, **options)
    (tmp_path / 'pipe.py').write_text(
        f"_base_ = '{PIPELINE}'\nclassifier = 'cls.py'\nsegmentor = 'seg.py'\n"
        "refine = dict(labels='labels.py', net='irn.py', cam_power=2)\n")
    work = tmp_path / 'work'
    args = ('tools/run_pipeline.py', str(tmp_path / 'pipe.py'), '--work-dir', str(work),
            '--data-root', synthetic_root)
    run_tool(*args)

    report = json.loads((work / 'report.json').read_text())
    run = report['runs']['CAM + IRN'][0]
    assert list(run) == ['pseudo-labels', 'confident-labels', 'refined', 'segmentor']
    assert all(0 <= run[stage]['J'] <= 100 for stage in run)
    rows = re.findall(r'^\| CAM \+ IRN \| ([\w-]+) \|', (work / 'report.md').read_text(), re.M)
    assert rows == ['pseudo-labels', 'refined', 'segmentor']

    seed = work / 'pipe' / 'seed0'
    refined = sorted(p.name for p in (seed / 'refine-net/pseudo_labels/labels').iterdir())
    confident = sorted(p.name for p in (seed / 'refine-labels/pseudo_labels/labels').iterdir())
    assert len(refined) == len(confident) == TINY_SYNTHETIC['num_train']
    # both refinement stages read the CAMs squared
    for stage, name in (('refine-labels', 'labels.py'), ('refine-net', 'irn.py')):
        pipeline = Config.fromfile(str(seed / stage / name)).test_dataloader.dataset.pipeline
        assert [t.power for t in pipeline if t.type == 'LoadCAMs'] == [2]
    # the segmentor trained on the refined labels
    seg_cfg = Config.fromfile(str(seed / 'segmentor' / 'seg.py'))
    assert seg_cfg.train_dataloader.dataset.data_prefix.seg_map_path == str(
        seed / 'refine-net/pseudo_labels/labels')

    # a re-run resumes: trainings are finished and every label exists
    log = run_tool(*args)
    assert json.loads((work / 'report.json').read_text())['runs']['CAM + IRN'][0] == run
    skipped = re.findall(r'(\d+) images had finished outputs', log.stdout + log.stderr)
    assert skipped == [str(TINY_SYNTHETIC['num_train'])] * 3
