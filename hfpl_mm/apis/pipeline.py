"""WSSS pipelines: named stages, each an OpenMMLab config, wired by the files they exchange.

A pipeline config declares its stages in order; ``_base_`` pipelines declare a family's stages
and their wiring, a baseline's pipeline fills in the stage configs, and its HFPL pipeline
inherits that and swaps the classifier::

    name = 'CAM'                          # row name in the report
    data_root = 'data/synthetic'          # optional: every stage's data sets read it
    stages = dict(                        # run in this order, each after the stages it reads
        classifier=dict(
            config='../cam/cam_xxx.py',   # relative to the pipeline file that is run (else
                                          # to the _base_ pipeline that declared it), or
                                          # dict(config=path, **overrides merged into it)
            options={'test_evaluator.bg_thr': 0.15},  # dotted keys set after loading
            steps=('train', 'test'),      # any of 'train', 'val', 'test', in order
            report='pseudo-labels'),      # row of the report (optional; a dict
                                          # {step: row} reports several steps)
        segmentor=dict(
            config='../seg/yyy.py',
            steps=('train', 'val'),
            val_during_train=False,       # validate only in the 'val' step
            # config key <- '<earlier stage>.<artifact>'
            inputs={'train_dataloader.dataset.data_prefix.seg_map_path': 'classifier.labels'},
            report='segmentor'))

Thresholds chosen on held-out data: ``calibrate={config key: '<step>.<metric>'}`` sets a key of
the stage's later steps to a metric of an earlier step, e.g. a classifier with
``steps=('train', 'val', 'test')`` and ``calibrate={'test_evaluator.bg_thr': 'val.cam/bg_thr'}``
writes its training pseudo-labels at the background score that was best on the validation
images' CAMs (``report=dict(val='CAM (val)', test='pseudo-labels')`` reports both, in step
order).

An input may also be a dict or list whose strings hold ``{<stage>.<artifact>}`` (e.g.
``{'model.backbone.init_cfg': dict(type='Pretrained', prefix='backbone.',
checkpoint='{pretrain.checkpoint}')}``), and a reference may list alternatives,
``'pretrain.checkpoint|classifier.checkpoint'``: the first stage the pipeline has. A child
pipeline removes a stage with ``stages = dict(pretrain=None)`` (or ``--cfg-options
stages.pretrain=None``); an input whose references all name removed stages is not set (the
config keeps its own value). ``data_root`` of a stage replaces the pipeline's for it (``False``:
the stage config's own data roots, e.g. a pretraining set). ``seed`` of a stage fixes its
``randomness.seed`` whatever the pipeline's seed (e.g. one pretraining serves every seed, as
one ImageNet checkpoint serves the paper's runs). A ``shared=True`` stage (no inputs) works in
``<shared_dir>/<stage>-<hash of its config>`` (the hash covers its seed): pipelines run together
(:func:`run_pipelines`) reuse one run of it, e.g. a backbone pretraining.

Artifacts of a stage: ``checkpoint`` (its final training checkpoint), ``work_dir``, and every
artifact its test evaluator's :class:`~hfpl_mm.evaluation.OutputWriter` declares (``labels``,
``cams``, ...), in the folders :mod:`hfpl_mm.utils.artifacts` derives from the stage's work dir
and the writer's ``out_dir``. Keys of ``inputs`` and of ``options`` (set after loading, before
the ``config`` overrides) may select list items by type:
``test_dataloader.dataset.pipeline[type=LoadCAMs].cam_dir``.

Each stage works in ``<work_dir>/<stage>`` and keeps a record there (``stage.json``): a stage
whose record says it finished with the same config is skipped; an interrupted one resumes
(training through mmengine's auto-resume, label writing through
:class:`~hfpl_mm.engine.runner.ResumableTestLoop`; the record's ``resumed`` and the report say
which stages and steps resumed); one whose config or inputs changed is moved aside
(``<stage>.replaced-<time>``) and run again. A run locks its work dir: a second concurrent run
of the same pipeline and seed stops with a message.
"""
import copy
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import os.path as osp
import re
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.registry import METRICS
from mmengine.runner import find_latest_checkpoint

from hfpl_mm.utils.artifacts import artifact_dir, writer_out_dir
from hfpl_mm.utils.io import atomic_write_bytes
from hfpl_mm.utils.lock import WorkDirLock
from hfpl_mm.utils.step_cost import step_cost
from .pipeline_report import jf_metrics, write_report
from .runner_utils import DATALOADER_KEYS, build_runner, load_config

__all__ = ['Pipeline', 'STEPS', 'run_pipelines', 'set_by_key']

STEPS = ('train', 'val', 'test')
RECORD = 'stage.json'
STAGE_KEYS = ('config', 'steps', 'inputs', 'options', 'calibrate', 'report',
              'val_during_train', 'shared', 'data_root', 'seed')
#: ``{stage.artifact}`` in the strings of a structured input value
_PLACEHOLDER = re.compile(r'\{([^{}]+)\}')
_SELECTOR = re.compile(r'^(\w+)\[type=([\w.:-]+)\]$')
_run_ids = itertools.count()


def set_by_key(cfg: Any, key: str, value: Any) -> int:
    """Set the dotted ``key`` of ``cfg`` to ``value``; a part ``name[type=T]`` selects the items
    of the list ``name`` whose ``type`` is ``T``. Returns how many places were set (0: the
    selector matched nothing)."""
    parts = key.split('.')
    nodes = [cfg]
    for part in parts[:-1]:
        match = _SELECTOR.match(part)
        if match:
            items = [n.get(match[1]) or [] for n in nodes]
            nodes = [i for its in items for i in its
                     if isinstance(i, dict) and i.get('type') == match[2]]
        else:
            for node in nodes:
                if node.get(part) is None:
                    node[part] = ConfigDict()
            nodes = [node[part] for node in nodes]
    for node in nodes:
        node[parts[-1]] = copy.deepcopy(value)
    return len(nodes)


def _map_refs(value: Any, resolve) -> Any:
    """``value`` with ``resolve(reference) -> str`` applied to each artifact reference: the whole
    value when it is a string, else each ``{...}`` placeholder in the strings of a dict / list.
    A reference is ``<stage>.<artifact>``, or alternatives ``a.x|b.y`` (the first stage present
    is used)."""
    if isinstance(value, str):
        return resolve(value)

    def sub(v):
        if isinstance(v, str):
            return _PLACEHOLDER.sub(lambda match: resolve(match[1]), v)
        if isinstance(v, dict):
            return {k: sub(x) for k, x in v.items()}
        return [sub(x) for x in v] if isinstance(v, (list, tuple)) else v

    return sub(value)


def _ref_exprs(value: Any) -> List[str]:
    """The artifact references of an input value (see :func:`_map_refs`)."""
    exprs = []
    _map_refs(value, lambda expr: exprs.append(expr) or '')
    return exprs


def _choose(expr: str, present) -> Optional[Tuple[str, str]]:
    """``(stage, artifact)`` of the first alternative of ``expr`` whose stage is present."""
    for alternative in expr.split('|'):
        stage, _, artifact = alternative.strip().partition('.')
        if stage in present:
            return stage, artifact
    return None


def _sources(spec: dict, present) -> List[str]:
    """The present stages a stage's inputs read."""
    chosen = [_choose(e, present) for v in (spec.get('inputs') or {}).values()
              for e in _ref_exprs(v)]
    return sorted({c[0] for c in chosen if c})


def _hash(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


class Pipeline:
    """One run (one seed) of a pipeline config: its stages' configs, artifacts and execution.

    Args:
        cfg (Config | str): The pipeline config or its path.
        work_dir (str): Folder of this run; stage ``s`` works in ``<work_dir>/<s>``.
        seed (int): ``randomness.seed`` of every stage. Defaults to 0.
        data_root (str, optional): ``data_root`` of every stage's data sets. Defaults to None:
            the pipeline's ``data_root`` key, or else each stage config's own.
        cfg_options (dict, optional): Merged into the pipeline config (``--cfg-options``), e.g.
            ``{'stages.segmentor.config.train_cfg.max_iters': 10}``.
        artifacts (dict, optional): ``{'<stage>.<artifact>': path}`` used instead of the
            stage's own, e.g. a classifier checkpoint trained elsewhere. Defaults to None.
        shared_dir (str, optional): Where ``shared`` stages work (``<shared_dir>/<stage>-<hash
            of its config>``), so that pipelines run with the same ``shared_dir`` and seed
            reuse one run of an identical stage. Defaults to None: ``work_dir``.
    """

    def __init__(self,
                 cfg: Union[Config, str],
                 work_dir: str,
                 seed: int = 0,
                 data_root: Optional[str] = None,
                 cfg_options: Optional[dict] = None,
                 artifacts: Optional[Dict[str, str]] = None,
                 shared_dir: Optional[str] = None) -> None:
        if isinstance(cfg, str):
            if not osp.isfile(cfg):
                raise FileNotFoundError(f'pipeline config not found: {cfg}')
            cfg = Config.fromfile(cfg)
        else:
            cfg = copy.deepcopy(cfg)
        self.filename = cfg.filename
        self.stages = self._parse_stages(cfg)
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
            self.stages = self._parse_stages(cfg)
        self.cfg = cfg
        self.name = cfg.get('name') or osp.splitext(osp.basename(self.filename))[0]
        self.work_dir = osp.abspath(work_dir)
        self.seed = seed
        self.data_root = data_root or cfg.get('data_root')
        self.given = dict(artifacts or {})
        self.shared_dir = osp.abspath(shared_dir or work_dir)
        self._shared_keys: Dict[str, str] = {}

    # --- declaration -------------------------------------------------------------------------

    def _parse_stages(self, cfg: Config) -> 'OrderedDict[str, ConfigDict]':
        """Validate ``cfg.stages`` and normalise each ``config`` to ``dict(config=path, ...)``."""
        stages = cfg.get('stages')
        if not isinstance(stages, dict) or not stages:
            raise ValueError(f'{self.filename}: "stages" must be a non-empty dict of stages')
        parsed = OrderedDict()
        for name, spec in stages.items():
            where = f'{self.filename}: stages.{name}'
            if spec is None:  # removed (e.g. a child pipeline's `stages = dict(pretrain=None)`)
                continue
            if not isinstance(spec, dict):
                raise ValueError(f'{where} must be a dict, got {type(spec).__name__}')
            unknown = set(spec) - set(STAGE_KEYS)
            if unknown:
                raise ValueError(f'{where}: unknown keys {sorted(unknown)}; use {STAGE_KEYS}')
            config = spec.get('config')
            if isinstance(config, str):
                spec['config'] = ConfigDict(config=config)
            if not (isinstance(spec.get('config'), dict) and spec['config'].get('config')):
                raise ValueError(f'{where}.config: no config path (a path relative to the '
                                 'pipeline file, or dict(config=path, **overrides))')
            steps = tuple(spec.get('steps') or ())
            if not steps or set(steps) - set(STEPS):
                raise ValueError(f'{where}.steps: {steps} is not a non-empty sequence of '
                                 f'{STEPS}')
            spec['steps'] = steps
            for key, value in (spec.get('inputs') or {}).items():
                exprs = _ref_exprs(value)
                alternatives = [a.strip().partition('.') for e in exprs for a in e.split('|')]
                if not exprs or any(st not in stages or st == name or not art
                                    for st, _, art in alternatives):
                    raise ValueError(f'{where}.inputs[{key!r}] = {value!r}: not "<stage>.'
                                     '<artifact>" (or alternatives "a.x|b.y", or a dict / list '
                                     'with "{<stage>.<artifact>}" in its strings) of another '
                                     f'stage ({list(stages)})')
            seed = spec.get('seed')
            if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
                raise ValueError(f'{where}.seed = {seed!r}: not an integer (the stage\'s fixed '
                                 'randomness seed; leave it out to follow the pipeline seed)')
            if spec.get('shared') and spec.get('inputs'):
                raise ValueError(f'{where}: a shared stage cannot have inputs (its run is reused '
                                 'by every pipeline with the same config)')
            for key, ref in (spec.get('calibrate') or {}).items():
                step, _, metric = str(ref).partition('.')
                if step not in steps[:-1] or not metric:
                    raise ValueError(f'{where}.calibrate[{key!r}] = {ref!r}: not "<step>.'
                                     f'<metric>" of one of its steps before the last {steps}')
            report = spec.get('report')
            if isinstance(report, dict) and set(report) - set(steps):
                raise ValueError(f'{where}.report: {dict(report)} names steps not in {steps}')
            parsed[name] = spec
        # run order: as declared, except that a stage runs after the stages it reads (a child
        # pipeline's new stages come last in the merged dict)
        order = []
        while len(order) < len(parsed):
            ready = [n for n in parsed if n not in order and all(
                src in order for src in _sources(parsed[n], parsed))]
            if not ready:
                raise ValueError(f'{self.filename}: the inputs of stages '
                                 f'{[n for n in parsed if n not in order]} form a cycle')
            order.append(ready[0])
        parsed = OrderedDict((n, parsed[n]) for n in order)
        cfg.stages = ConfigDict(parsed)
        return parsed

    @property
    def stage_names(self) -> List[str]:
        return list(self.stages)

    def stage_dir(self, stage: str) -> str:
        """Work dir of a stage."""
        self._check_stage(stage)
        if self.stages[stage].get('shared'):
            if stage not in self._shared_keys:
                cfg = self._own_config(stage, work_dir='')
                self._shared_keys[stage] = _hash(cfg.to_dict())[:8]
            return osp.join(self.shared_dir, f'{stage}-{self._shared_keys[stage]}')
        return osp.join(self.work_dir, stage)

    def _check_stage(self, stage: str) -> None:
        if stage not in self.stages:
            raise KeyError(f'{self.filename}: no stage {stage!r}; stages: {self.stage_names}')

    def config_path(self, stage: str) -> str:
        """Absolute path of a stage's config: relative to the pipeline file that is run or, when
        not found there, to the folder of the ``_base_`` pipeline that declared it (so a
        pipeline in another folder can inherit one of ours)."""
        path = self.stages[stage]['config']['config']
        candidates = [osp.normpath(osp.join(folder, path)) for folder in self._folders()]
        for candidate in candidates:
            if osp.isfile(candidate):
                return candidate
        raise FileNotFoundError(f'{self.filename}: stages.{stage}.config: {path} not found '
                                f'(looked in {sorted(set(candidates))})')

    def _folders(self) -> List[str]:
        """Folders of the pipeline file and of its ``_base_`` files, nearest first."""
        folders, queue = [], [osp.abspath(self.filename)]
        while queue:
            name = queue.pop(0)
            folder = osp.dirname(name)
            if folder not in folders:
                folders.append(folder)
            queue += [osp.normpath(osp.join(folder, base))
                      for base in Config._get_base_files(name) if '::' not in base]
        return folders

    def stage_config(self, stage: str, step: Optional[str] = None) -> Config:
        """A stage's config as it runs: options, overrides, seed, work dir, data root and the
        artifacts of earlier stages in place (``step`` adds the step's own settings)."""
        cfg = self._own_config(stage)
        for key, value in (self.stages[stage].get('inputs') or {}).items():
            value = self._input_value(value)
            if value is not None:  # else: its stages were removed, the config keeps its own
                self._set(cfg, stage, 'inputs', key, value)
        if step is not None:
            self._prepare_step(cfg, stage, step)
        return cfg

    def _input_value(self, value: Any) -> Any:
        """An input's value with its artifact references resolved; None when every alternative
        of a reference names a removed stage."""
        missing = []

        def resolve(expr):
            choice = _choose(expr, self.stages)
            if choice is None:
                missing.append(expr)
                return ''
            return self.artifact(*choice)

        out = _map_refs(value, resolve)
        return None if missing else out

    def _own_config(self, stage: str, work_dir: Optional[str] = None) -> Config:
        """A stage's config before its inputs: options, overrides, seed, work dir, data root."""
        self._check_stage(stage)
        spec = self.stages[stage]
        cfg = load_config(self.config_path(stage),
                          work_dir=self.stage_dir(stage) if work_dir is None else work_dir)
        for key, value in (spec.get('options') or {}).items():
            self._set(cfg, stage, 'options', key, value)
        overrides = {k: v for k, v in spec['config'].items() if k != 'config'}
        if overrides:  # after the options: `--cfg-options stages.<s>.config.<key>=...` wins
            cfg.merge_from_dict(copy.deepcopy(overrides))
        seed = spec.get('seed')
        cfg.randomness = dict(cfg.get('randomness') or {},
                              seed=self.seed if seed is None else seed)
        data_root = spec.get('data_root', self.data_root)
        if data_root:  # False: the stage keeps its config's own (e.g. a pretraining set)
            for loader in DATALOADER_KEYS:
                if cfg.get(loader):
                    cfg[loader].dataset.data_root = data_root
        return cfg

    def _set(self, cfg: Config, stage: str, field: str, key: str, value) -> None:
        if not set_by_key(cfg, key, value):
            raise KeyError(f'{self.filename}: stages.{stage}.{field}[{key!r}]: nothing in '
                           f'{self.config_path(stage)} matches the key')

    def _prepare_step(self, cfg: Config, stage: str, step: str) -> None:
        spec = self.stages[stage]
        # a unique name per runner: mmengine keys loggers, message hubs, visualisers by it
        cfg.experiment_name = f'{self.name}_s{self.seed}_{stage}_{step}_{next(_run_ids)}'
        if cfg.get('visualizer'):  # mmseg names its visualiser 'visualizer': the first one
            cfg.visualizer.name = cfg.experiment_name  # would log every later stage's scalars
        if step == 'train':
            cfg.resume, cfg.load_from = True, None  # mmengine finds the latest checkpoint
            if not spec.get('val_during_train', True):
                cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
            return
        cfg.resume = False
        if 'train' in spec['steps']:
            cfg.load_from = self._trained_checkpoint(stage)
        if (cfg.get('default_hooks') or {}).get('checkpoint'):
            # a 'best' checkpoint is training's business (mmengine's hook cannot save one
            # outside training: its file backend is set up in before_train)
            cfg.default_hooks.checkpoint.save_best = None
        steps = spec['steps']
        for key, ref in (spec.get('calibrate') or {}).items():
            src, _, metric = ref.partition('.')
            if steps.index(src) >= steps.index(step):
                continue
            value = ((self.record(stage) or {}).get('steps') or {}).get(src, {}).get(metric)
            if value is None:
                raise KeyError(f'{self.filename}: stages.{stage}.calibrate[{key!r}]: its {src} '
                               f'step reported no {metric!r} (it reported '
                               f'{sorted((self.record(stage) or {}).get("steps", {}).get(src, {}))})')
            print_log(f'[pipeline] {stage} / {step}: {key} = {value} (from its {src} step\'s '
                      f'{metric})', logger='current')
            self._set(cfg, stage, 'calibrate', key, value)

    # --- artifacts ---------------------------------------------------------------------------

    def artifact(self, stage: str, name: str) -> str:
        """Path of an artifact of a stage: ``checkpoint``, ``work_dir`` or a writer's folder."""
        self._check_stage(stage)
        if f'{stage}.{name}' in self.given:
            return self.given[f'{stage}.{name}']
        if name == 'work_dir':
            return self.stage_dir(stage)
        if name == 'checkpoint':
            return self._trained_checkpoint(stage, finished=True)
        cfg = self._own_config(stage)  # the writer's out_dir as the stage will run it
        evaluators = cfg.get('test_evaluator') or []
        for evaluator in evaluators if isinstance(evaluators, list) else [evaluators]:
            writer = METRICS.get(evaluator.get('type', ''))
            if writer is not None and name in getattr(writer, 'artifacts', {}):
                return artifact_dir(writer_out_dir(cfg.work_dir, evaluator.get('out_dir')),
                                    name)
        raise KeyError(f'stage {stage!r} ({self.config_path(stage)}) writes no artifact '
                       f'{name!r}: its test_evaluator has no writer declaring it')

    # --- records -----------------------------------------------------------------------------

    def record(self, stage: str) -> Optional[dict]:
        """The stage's record (``stage.json``), or None."""
        path = osp.join(self.stage_dir(stage), RECORD)
        if not osp.isfile(path):
            return None
        with open(path) as f:
            return json.load(f)

    def _write_record(self, stage: str, record: dict) -> None:
        os.makedirs(self.stage_dir(stage), exist_ok=True)
        atomic_write_bytes(osp.join(self.stage_dir(stage), RECORD),
                           json.dumps(record, indent=2).encode())

    def _fingerprint(self, stage: str) -> dict:
        """What a stage's results depend on: its config and the runs of the stages it reads."""
        cfg = self.stage_config(stage)
        sources = _sources(self.stages[stage], self.stages)
        return dict(config=_hash(cfg.to_dict()),
                    inputs={s: (self.record(s) or {}).get('run_id') for s in sources})

    def _trained_checkpoint(self, stage: str, finished: bool = False) -> str:
        """The checkpoint a stage's training recorded (``finished``: of a finished stage, as
        later stages read it; else also of the stage running now, for its own test step)."""
        record = self.record(stage) or {}
        if not record.get('checkpoint') or (finished and record.get('status') != 'done'):
            raise FileNotFoundError(f'stage {stage!r} has no finished training in '
                                    f'{self.stage_dir(stage)}; run it first')
        return record['checkpoint']

    def is_done(self, stage: str) -> bool:
        """Whether the stage finished with its current config and inputs, and the stages it
        reads (transitively) are done too: a rerun classifier makes every later stage stale."""
        record = self.record(stage)
        return bool(record and record.get('status') == 'done'
                    and record.get('fingerprint') == self._fingerprint(stage)
                    and all(self.is_done(s) for s in _sources(self.stages[stage], self.stages)))

    # --- execution ---------------------------------------------------------------------------

    def run(self, stages: Optional[Sequence[str]] = None) -> Dict[str, dict]:
        """Run the stages in order (``stages``: only these, re-running them from scratch; the
        others must have finished). Returns ``{stage: metrics of its last val / test step}``
        for every stage that has them."""
        selected = list(self.stage_names if stages is None else stages)
        for stage in selected:
            self._check_stage(stage)
        with WorkDirLock(self.work_dir, f'pipeline {self.name} seed {self.seed}'):
            return self._run(selected, stages is not None)

    def _run(self, selected: List[str], force: bool) -> Dict[str, dict]:
        # the stages the selected ones read, directly or through others, must have finished;
        # the rest are left as they are (e.g. `--stages classifier` on a fresh work dir)
        needed, queue = set(), list(selected)
        while queue:
            for source in _sources(self.stages[queue.pop()], self.stages):
                if source not in needed:
                    needed.add(source)
                    queue.append(source)
        results = {}
        for stage in self.stage_names:
            if stage in selected:
                self.run_stage(stage, force=force)
            elif not self.is_done(stage):
                if stage in needed:
                    raise FileNotFoundError(
                        f'stage {stage!r} has not finished in {self.stage_dir(stage)} (or its '
                        f'config changed) and the selected stages read it; run it too')
                continue
            metrics = self.record(stage).get('metrics')
            if metrics:
                results[stage] = metrics
        return results

    def report_rows(self) -> Dict[str, dict]:
        """``{report row: metrics}`` of the finished stages that declare a ``report``: the
        metrics of their last val / test step, or of each step a ``{step: row}`` names."""
        rows = {}
        for stage, spec in self.stages.items():
            record, report = self.record(stage) or {}, spec.get('report')
            if not report or record.get('status') != 'done':
                continue
            if isinstance(report, dict):
                rows.update({report[step]: record['steps'][step] for step in spec['steps']
                             if step in report and step in record.get('steps', {})})
            elif record.get('metrics'):
                rows[report] = record['metrics']
        return rows

    def costs(self) -> Dict[str, dict]:
        """``{stage: {time_s, peak_mem_mb}}``: wall time summed and peak memory maximised over
        the stage's steps, as recorded when they ran."""
        costs = {}
        for stage in self.stages:
            steps = ((self.record(stage) or {}).get('cost') or {}).values()
            if steps:
                costs[stage] = dict(time_s=round(sum(c['time_s'] for c in steps), 2),
                                    peak_mem_mb=max(c['peak_mem_mb'] for c in steps))
        return costs

    def resumed(self) -> Dict[str, dict]:
        """``{stage: {step: what it resumed from}}`` of the stages whose run was interrupted and
        resumed (a training's checkpoint, a label writing's finished images)."""
        return {stage: (self.record(stage) or {}).get('resumed') for stage in self.stages
                if (self.record(stage) or {}).get('resumed')}

    def run_stage(self, stage: str, force: bool = False) -> dict:
        """Run one stage (skipped when done; resumed when interrupted); returns its record."""
        fingerprint = self._fingerprint(stage)
        record = self.record(stage)
        resumed = {}
        if record and not force and record.get('fingerprint') == fingerprint:
            resumed = dict(record.get('resumed') or {})  # an earlier interrupted run's
            if record.get('status') == 'done':
                print_log(f'[pipeline] {self.name} seed {self.seed}: {stage} finished before, '
                          'skipped', logger='current')
                return record
        elif osp.isdir(self.stage_dir(stage)) and os.listdir(self.stage_dir(stage)):
            aside = f'{self.stage_dir(stage)}.replaced-{time.strftime("%Y%m%d_%H%M%S")}'
            why = 'a re-run was asked for' if force else 'its config or inputs changed'
            print_log(f'[pipeline] {stage}: {why}; the previous run moves to {aside}',
                      logger='current')
            os.replace(self.stage_dir(stage), aside)
        record = dict(status='running', fingerprint=fingerprint, steps={}, cost={},
                      resumed=resumed)
        self._write_record(stage, record)
        for step in self.stages[stage]['steps']:
            print_log(f'[pipeline] {self.name} seed {self.seed}: {stage} / {step}',
                      logger='current')
            with step_cost() as cost:
                cfg = self.stage_config(stage, step)
                runner = build_runner(cfg, self.config_path(stage))
                if step == 'train':
                    runner.train()
                    record['checkpoint'] = find_latest_checkpoint(cfg.work_dir)
                    if getattr(runner, 'resumed_from', None):  # HFPLRunner's resume (the
                        # first: a later re-run of a finished training resumes its last one)
                        record['resumed'].setdefault(
                            step, f'from {osp.basename(runner.resumed_from)}')
                else:
                    record['metrics'] = {k: _plain(v)
                                         for k, v in getattr(runner, step)().items()}
                    record['steps'][step] = record['metrics']
                    kept = getattr(getattr(runner, f'{step}_loop'), '_skipped', 0)
                    if kept:  # ResumableTestLoop: images whose outputs were already written
                        record['resumed'].setdefault(step, f'{kept} finished images kept')
            record['cost'][step] = cost
            self._write_record(stage, record)
        record.update(status='done', run_id=uuid.uuid4().hex)
        self._write_record(stage, record)
        return record


def _plain(value):
    """JSON-able metric value."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def run_pipelines(paths: Sequence[str],
                  seeds: Sequence[int] = (0, ),
                  work_dir: str = 'work_dirs/pipeline',
                  data_root: Optional[str] = None,
                  cfg_options: Optional[dict] = None,
                  stages: Optional[Sequence[str]] = None,
                  report_only: bool = False,
                  jobs: int = 1) -> str:
    """Run each pipeline config for each seed (in ``<work_dir>/<config stem>/seed<k>``) and
    write the report of their ``report`` stages (:func:`write_report`); returns its table.

    ``report_only``: run nothing, report the stages whose records (``stage.json``) say they
    finished, e.g. seeds run on several machines and their records gathered in one work dir.
    ``jobs``: run up to this many (pipeline, seed) units at once, each in its own process with
    an equal share of the CPU threads (unless ``OMP_NUM_THREADS`` is set), after the shared
    stages (e.g. the pretraining), which run first in this process; the records and the report
    are those of a sequential run.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f'jobs must be a positive integer, got {jobs!r}')

    def unit(path, seed):  # Pipeline's arguments
        return (path, osp.join(work_dir, osp.splitext(osp.basename(path))[0], f'seed{seed}'),
                seed, data_root, cfg_options, None, osp.join(work_dir, '_shared'))

    pipelines = {(p, s): Pipeline(*unit(p, s)) for p in paths for s in seeds}
    if jobs > 1 and not report_only:
        _run_shared_stages(list(pipelines.values()), stages)
        _run_in_processes([unit(p, s) for s in seeds for p in paths], stages, jobs)
    results, costs, names, resumed = {}, {}, {}, {}
    for path in paths:
        slug = osp.splitext(osp.basename(path))[0]
        runs, run_costs = [], []
        for seed in seeds:
            pipe = pipelines[path, seed]
            if not report_only and jobs == 1:
                pipe.run(stages)
            rows = pipe.report_rows()
            if report_only and not rows:
                raise FileNotFoundError(f'{pipe.name} seed {seed}: no finished stage to '
                                        f'report in {pipe.work_dir}')
            runs.append({row: jf_metrics(m) for row, m in rows.items()})
            run_costs.append(pipe.costs())
            if pipe.resumed():
                resumed.setdefault(pipe.name, {})[seed] = pipe.resumed()
        results[pipe.name], costs[pipe.name] = runs, run_costs
        names[slug] = pipe.name
    # a pipeline `hfpl-<x>` and its baseline `<x>` (the naming rule) are a pair with shared seeds
    pairs = [(names[slug[5:]], name) for slug, name in names.items()
             if slug.startswith('hfpl-') and slug[5:] in names]
    return write_report(results, seeds, work_dir, pairs=pairs, costs=costs, resumed=resumed)


def _run_shared_stages(pipelines: List[Pipeline], stages: Optional[Sequence[str]]) -> None:
    """Run the shared stages of ``pipelines`` (each folder once) before the units that read
    them run in parallel, so that no two processes write one of them."""
    for pipe in pipelines:
        shared = [s for s in pipe.stage_names if pipe.stages[s].get('shared')]
        if stages is not None:
            rerun = sorted(set(shared) & set(stages))
            if rerun:
                raise ValueError(f'{pipe.name}: the shared stages {rerun} cannot be re-run with '
                                 'jobs > 1 (every unit reads them): re-run them with one job')
            continue  # the units check that the stages they read have finished
        for stage in shared:
            with WorkDirLock(pipe.shared_dir, f'shared stage {stage}'):
                pipe.run_stage(stage)


def _run_in_processes(units: List[tuple], stages: Optional[Sequence[str]], jobs: int) -> None:
    """Run ``Pipeline(*unit).run(stages)`` for each unit in up to ``jobs`` fresh processes
    (spawned: no state of this one is shared); every unit runs even if another fails, then
    the first failure is raised."""
    threads = max(1, len(os.sched_getaffinity(0)) // jobs)
    errors = []
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context('spawn'),
                             initializer=_init_process, initargs=(threads, ),
                             max_tasks_per_child=1) as pool:
        futures = {pool.submit(_run_unit, unit, stages): unit for unit in units}
        for future in as_completed(futures):
            if future.exception() is not None:
                path, _, seed = futures[future][:3]
                print_log(f'[pipeline] {path} seed {seed} failed: {future.exception()!r}',
                          logger='current', level=logging.ERROR)
                errors.append(future.exception())
    if errors:
        raise errors[0]


def _init_process(threads: int) -> None:
    if 'OMP_NUM_THREADS' not in os.environ:
        import torch
        torch.set_num_threads(threads)


def _run_unit(unit: tuple, stages: Optional[Sequence[str]]) -> None:
    Pipeline(*unit).run(stages)
