"""Run whole WSSS pipelines: classifier -> CAM pseudo-labels -> segmentor, over seeds.

A pipeline config names the stage configs (paths relative to it)::

    name = 'CAM'                      # row name in the report
    data_root = 'data/synthetic'      # given to every data set of every stage
    classifier = '../cam/xxx.py'
    pseudo_label = dict(...)          # merged into the classifier config for its test run
    refine = dict(...)                # optional, see below
    segmentor = '../seg/yyy.py'

The optional refinement step runs between the pseudo-labels and the segmentor, on the CAMs that
the pseudo-label step saved (``pseudo_labels/cams``)::

    refine = dict(
        labels='../refine/confident-labels_xxx.py',  # confident (or CRF) labels from the CAMs
        net='../refine/irn_xxx.py',       # optional: AffinityNet / IRN trained on those labels,
                                          # whose test step is the random walk
        walk=dict(beta=10),               # optional: merged into the net's model.walk
        init_backbone=True,               # optional: start the net's backbone from the classifier
        cam_power=2)                      # optional: LoadCAMs' power (CAM recalibration)

``labels`` / ``net`` are config paths, or ``dict(config=path, **overrides)``. Without ``net`` the
labels themselves are the refined pseudo-labels (e.g. a dense-CRF refinement). The segmentor then
trains on the refined labels, and the report gains a 'refined' row (J / F of the refined labels on
the training images; report.json also keeps the confident labels' scores).

Each stage keeps its files under ``<work-dir>/<pipeline>/seed<k>/<stage>``; a re-run resumes
(finished trainings are not repeated, finished pseudo-labels are skipped). Writes
``<work-dir>/report.md`` and ``report.json``: J, F and J&F of the CAM pseudo-labels (training
images) and of the final segmentor (validation images), mean ± std over the seeds.
"""
import argparse
import copy
import json
import os.path as osp
import sys

import numpy as np

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.config import Config  # noqa: E402

from hfpl_mm.apis import build_runner, load_config  # noqa: E402

STAGE_KEYS = {'pseudo-labels': 'pseudo', 'refined': 'refined', 'segmentor': None}
METRICS = ('J', 'F', 'J&F')


def parse_args():
    parser = argparse.ArgumentParser(description='Run WSSS pipelines and report J / F')
    parser.add_argument('pipelines', nargs='+', help='pipeline config files')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--work-dir', default='work_dirs/pipeline')
    parser.add_argument('--data-root', help='override every pipeline\'s data_root')
    return parser.parse_args()


def stage_config(pipeline: Config, key: str, seed: int, work_dir: str, data_root: str):
    """Load a stage config of ``pipeline`` with the run's seed, work dir and data root."""
    return load_stage(pipeline, pipeline[key], seed, work_dir, data_root)


def load_stage(pipeline: Config, spec, seed: int, work_dir: str, data_root: str):
    """Load a stage config given as a path relative to ``pipeline`` or as
    ``dict(config=path, **overrides)`` (the overrides are merged into it)."""
    overrides = {}
    if isinstance(spec, dict):
        overrides = {k: v for k, v in spec.items() if k != 'config'}
        spec = spec.get('config')
        if not spec:
            raise SystemExit(f'{pipeline.filename}: a stage dict needs a "config" path')
    path = osp.normpath(osp.join(osp.dirname(pipeline.filename), spec))
    cfg = load_config(path, cfg_options=overrides, work_dir=work_dir)
    cfg.randomness = dict(seed=seed, deterministic=False)
    cfg.experiment_name = work_dir.replace(osp.sep, '_')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            cfg[loader].dataset.data_root = data_root
    return cfg, path


def last_checkpoint(work_dir: str):
    """The checkpoint mmengine's auto-resume would pick, or None."""
    marker = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        return None
    with open(marker) as f:
        path = f.read().strip()
    return path if osp.isfile(path) else None


def train(cfg: Config, path: str) -> str:
    """Train (resuming if a checkpoint exists) and return the final checkpoint."""
    cfg.resume = last_checkpoint(cfg.work_dir) is not None
    build_runner(cfg, path).train()
    return last_checkpoint(cfg.work_dir)


def jf_metrics(metrics: dict) -> dict:
    """J, F and J&F of a metric dict whatever their prefix ('pseudo/J', 'refined/J', 'J')."""
    return {k: float(v) for key, v in metrics.items() for k in METRICS
            if key == k or key.endswith('/' + k)}


def set_cam_dir(cfg: Config, path: str, cam_dir: str, power=None) -> None:
    """Point the ``LoadCAMs`` transform of ``cfg``'s test pipeline at ``cam_dir`` (and set
    its ``power`` when given)."""
    transforms = [t for t in cfg.test_dataloader.dataset.pipeline if t.get('type') == 'LoadCAMs']
    if not transforms:
        raise SystemExit(f'{path}: the test pipeline has no LoadCAMs transform to read the CAMs')
    for transform in transforms:
        transform.cam_dir = cam_dir
        if power is not None:
            transform.power = power


def labels_of(cfg: Config) -> str:
    """The label folder that a test run of ``cfg`` writes (the writers' default out_dir)."""
    return osp.abspath(osp.join(cfg.work_dir, 'pseudo_labels', 'labels'))


def run_refine(pipeline: Config, seed: int, root: str, data_root: str, cam_dir: str,
               cls_ckpt: str):
    """The refinement step; returns ({'confident-labels': ..., 'refined': ...}, label folder)."""
    refine = pipeline.refine
    if not refine.get('labels'):
        raise SystemExit(f'{pipeline.filename}: refine needs "labels" (a label config)')
    lab_cfg, lab_path = load_stage(pipeline, refine['labels'], seed,
                                   osp.join(root, 'refine-labels'), data_root)
    set_cam_dir(lab_cfg, lab_path, cam_dir, refine.get('cam_power'))
    results = {'confident-labels': jf_metrics(build_runner(lab_cfg, lab_path).test())}
    label_dir = labels_of(lab_cfg)
    if not refine.get('net'):
        return {'refined': results.pop('confident-labels')}, label_dir

    net_cfg, net_path = load_stage(pipeline, refine['net'], seed, osp.join(root, 'refine-net'),
                                   data_root)
    net_cfg.train_dataloader.dataset.data_prefix.seg_map_path = label_dir
    if refine.get('walk'):
        net_cfg.merge_from_dict(dict(model=dict(walk=dict(refine['walk']))))
    if refine.get('init_backbone'):
        net_cfg.model.backbone.init_cfg = dict(type='Pretrained', checkpoint=cls_ckpt,
                                               prefix='backbone.')
    ckpt = train(copy.deepcopy(net_cfg), net_path)
    net_cfg.load_from, net_cfg.resume = ckpt, False
    set_cam_dir(net_cfg, net_path, cam_dir, refine.get('cam_power'))
    results['refined'] = jf_metrics(build_runner(net_cfg, net_path).test())
    return results, labels_of(net_cfg)


def run_once(pipeline: Config, seed: int, root: str, data_root: str) -> dict:
    """One pipeline run; returns {'pseudo-labels': metrics, 'segmentor': metrics} (and
    'refined' / 'confident-labels' with a refinement step)."""
    cls_cfg, cls_path = stage_config(pipeline, 'classifier', seed, osp.join(root, 'classifier'),
                                     data_root)
    ckpt = train(copy.deepcopy(cls_cfg), cls_path)

    cls_cfg.merge_from_dict(pipeline.get('pseudo_label', {}))
    cls_cfg.load_from, cls_cfg.resume = ckpt, False
    pseudo = build_runner(cls_cfg, cls_path).test()
    label_dir = labels_of(cls_cfg)
    refined = {}
    if pipeline.get('refine'):
        cam_dir = osp.abspath(osp.join(cls_cfg.work_dir, 'pseudo_labels', 'cams'))
        refined, label_dir = run_refine(pipeline, seed, root, data_root, cam_dir, ckpt)

    seg_cfg, seg_path = stage_config(pipeline, 'segmentor', seed, osp.join(root, 'segmentor'),
                                     data_root)
    seg_cfg.train_dataloader.dataset.data_prefix.seg_map_path = label_dir
    seg_cfg.train_cfg.val_interval = seg_cfg.train_cfg.max_iters + 1  # validate once, below
    seg_ckpt = train(copy.deepcopy(seg_cfg), seg_path)
    seg_cfg.load_from, seg_cfg.resume = seg_ckpt, False
    final = build_runner(seg_cfg, seg_path).val()
    return {'pseudo-labels': {k: float(pseudo[f'pseudo/{k}']) for k in METRICS}, **refined,
            'segmentor': {k: float(final[k]) for k in METRICS}}


def report(results: dict, seeds, work_dir: str) -> str:
    """Markdown table (mean ± std over seeds); also writes report.md / report.json."""
    lines = ['| pipeline | stage | seeds | J | F | J&F |', '|---|---|---|---|---|---|']
    summary = {}
    for name, runs in results.items():
        for stage in STAGE_KEYS:
            if stage not in runs[0]:  # no refinement step
                continue
            values = {k: [r[stage][k] for r in runs] for k in METRICS}
            summary.setdefault(name, {})[stage] = {
                k: dict(mean=float(np.mean(v)), std=float(np.std(v))) for k, v in values.items()}
            cells = ' | '.join(f'{np.mean(v):.1f} ± {np.std(v):.1f}' for v in values.values())
            lines.append(f'| {name} | {stage} | {len(runs)} | {cells} |')
    table = '\n'.join(lines)
    with open(osp.join(work_dir, 'report.json'), 'w') as f:
        json.dump(dict(seeds=list(seeds), runs=results, summary=summary), f, indent=2)
    with open(osp.join(work_dir, 'report.md'), 'w') as f:
        f.write('# WSSS pipeline report\n\nPseudo-labels: training images; segmentor: '
                'validation images. J = mIoU, F = contour F-score (%).\n\n' + table + '\n')
    return table


def main():
    args = parse_args()
    results = {}
    for path in args.pipelines:
        if not osp.isfile(path):
            raise SystemExit(f'pipeline config not found: {path}')
        pipeline = Config.fromfile(path)
        for key in ('classifier', 'segmentor'):
            if key not in pipeline:
                raise SystemExit(f'{path}: missing key "{key}"')
        name = pipeline.get('name', osp.splitext(osp.basename(path))[0])
        slug = osp.splitext(osp.basename(path))[0]
        data_root = args.data_root or pipeline.get('data_root')
        results[name] = [
            run_once(pipeline, seed, osp.join(args.work_dir, slug, f'seed{seed}'), data_root)
            for seed in args.seeds
        ]
    print('\n' + report(results, args.seeds, args.work_dir))


if __name__ == '__main__':
    main()
