"""Time the training step of a baseline classifier and its HFPL twin, and print the overhead.

Both models are built from their configs; the HFPL model gets the baseline's initial weights
(the twin differs only in its losses, so the state dicts must match), and both train on the same
fixed batch (random images at the crop size, 1-3 random image-level labels each). Each timed step
is the real ``model.train_step`` with the config's optimiser wrapper (data preprocessing,
forward, losses, backward, optimiser step); before every step both model and optimiser are reset
to the same state, and the two configurations alternate (A B, B A, ...) so that drift of the
machine's speed falls on both. Time = median over ``--repeat`` steps after ``--warmup`` untimed
ones. Peak memory is measured per configuration in a fresh process (one warm-up step, then the
peak of one step: host RSS high-water mark, or ``torch.cuda.max_memory_allocated`` on CUDA).
Pretrained checkpoints named in ``init_cfg`` are not loaded (the step's cost does not depend on
the weights' values, and the benchmark needs no downloaded files).

    python tools/analysis_tools/benchmark_train_step.py \\
        configs/seam/seam_r38d_1xb8-8e_voc12aug-448x448.py \\
        configs/seam/hfpl-seam_r38d_1xb8-8e_voc12aug-448x448.py --batch-size 8 --repeat 5

The hfpl paper reports about +30% training time for ISL + FSL on SEAM (its Sec. 6).
"""
import argparse
import copy
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time

import torch

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('base', help='baseline classifier config')
    parser.add_argument('hfpl', help='its HFPL twin (same model, ISL / FSL added)')
    parser.add_argument('--batch-size', type=int, default=None,
                        help='default: the train_dataloader batch size of the base config')
    parser.add_argument('--crop', type=int, default=None,
                        help='square input size; default: what the train pipeline crops to')
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--no-memory', action='store_true',
                        help='skip the per-configuration memory processes')
    parser.add_argument('--memory-only', default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _load(path):
    from mmengine.config import Config
    if not osp.isfile(path):
        raise SystemExit(f'config file not found: {path}')
    return Config.fromfile(path)


def _crop(cfg, crop):
    """``--crop``, else the input size the training pipeline fixes last (``RandomCrop.crop_size``,
    ``RandomResizedCrop.scale``, a ``Resize`` without ``keep_ratio``), else the config's
    ``crop_size`` variable (a dataset base's value, which a method's own pipeline may replace)."""
    if crop:
        return crop
    size = None
    pipeline = cfg.get('train_dataloader', {}).get('dataset', {}).get('pipeline', []) or []
    for t in pipeline:
        kind = str(t.get('type', ''))
        if 'Crop' in kind or (kind == 'Resize' and not t.get('keep_ratio', True)):
            size = t.get('crop_size', t.get('scale', size))
    size = size or cfg.get('crop_size')
    if isinstance(size, (tuple, list)):
        size = size[0]
    if not size:
        raise SystemExit(f'{cfg.filename}: no crop in the train pipeline and no crop_size; '
                         'pass --crop')
    return int(size)


def _build(cfg, device, seed, state=None):
    """The config's model (seeded init or ``state``) and optimiser wrapper, on ``device``."""
    import hfpl_mm  # noqa: F401  (registers the modules)
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    torch.manual_seed(seed)
    model_cfg = copy.deepcopy(cfg.model)
    _drop_pretrained(model_cfg)
    model = MODELS.build(model_cfg)
    if state is None:
        model.init_weights()
    else:
        missing = set(state) ^ set(model.state_dict())
        if missing:
            raise SystemExit(f'{cfg.filename}: its model differs from the baseline\'s '
                             f'(parameters {sorted(missing)[:5]} ...); the HFPL twin must only '
                             'add losses')
        model.load_state_dict(state)
    model.to(device).train()
    optim_cfg = copy.deepcopy(cfg.optim_wrapper)
    if device == 'cpu' and optim_cfg.get('type') == 'AmpOptimWrapper':
        optim_cfg['type'] = 'OptimWrapper'  # AMP is a CUDA feature here
        optim_cfg.pop('loss_scale', None)
        optim_cfg.pop('dtype', None)
    return model, build_optim_wrapper(model, optim_cfg)


def _drop_pretrained(node):
    """Remove ``init_cfg=dict(type='Pretrained', ...)`` everywhere in a model config."""
    if isinstance(node, dict):
        init = node.get('init_cfg')
        if isinstance(init, dict) and init.get('type') == 'Pretrained':
            node['init_cfg'] = None
        for value in node.values():
            _drop_pretrained(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _drop_pretrained(value)


def _batch(model, batch_size, crop, seed):
    from mmpretrain.structures import DataSample
    g = torch.Generator().manual_seed(seed)
    num_labels = getattr(model.head, 'num_labels', None) or model.head.num_classes
    inputs, samples = [], []
    for _ in range(batch_size):
        inputs.append(torch.randint(0, 256, (3, crop, crop), dtype=torch.uint8, generator=g))
        k = int(torch.randint(1, 4, (1, ), generator=g))
        labels = torch.randperm(num_labels, generator=g)[:k].sort().values.tolist()
        samples.append(DataSample().set_gt_label(labels))
    return dict(inputs=inputs, data_samples=samples)


def _sync(device):
    if device == 'cuda':
        torch.cuda.synchronize()


class Case:
    """A model with its optimiser, reset to the same state before every step."""

    def __init__(self, cfg, device, seed, state=None):
        self.model, self.optim = _build(cfg, device, seed, state)
        self.model_state = copy.deepcopy(self.model.state_dict())
        self.optim_state = copy.deepcopy(self.optim.state_dict())
        self.device = device

    def step(self, data, seed):
        self.model.load_state_dict(self.model_state)
        self.optim.load_state_dict(self.optim_state)
        torch.manual_seed(seed)  # dropout, ISL's sampling
        _sync(self.device)
        start = time.perf_counter()
        losses = self.model.train_step(copy.copy(data), self.optim)
        _sync(self.device)
        elapsed = time.perf_counter() - start
        bad = [k for k, v in losses.items() if not torch.isfinite(torch.as_tensor(v)).all()]
        if bad:
            raise SystemExit(f'non-finite losses {bad}')
        return elapsed


def memory_only(args):
    """Peak memory of one training step of one config (run in a fresh process)."""
    from hfpl_mm.utils.step_cost import step_cost
    cfg = _load(args.memory_only)
    crop = _crop(cfg, args.crop)
    case = Case(cfg, args.device, args.seed)
    data = _batch(case.model, args.batch_size, crop, args.seed)
    case.step(data, args.seed)  # warm-up: lazy allocations, kernels
    before = (torch.cuda.memory_allocated() / 2**20 if args.device == 'cuda' else _rss_mb())
    with step_cost() as cost:
        case.step(data, args.seed)
    peak = cost.get('peak_cuda_mb') if args.device == 'cuda' else cost['peak_mem_mb']
    print(json.dumps(dict(peak_mb=peak, step_mb=peak - before, scope=cost['peak_mem_scope'])))


def _peak_in_fresh_process(args, path, batch_size, crop):
    cmd = [sys.executable, __file__, args.base, args.hfpl, '--memory-only', path, '--batch-size',
           str(batch_size), '--crop', str(crop), '--device', args.device, '--seed', str(args.seed)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=dict(os.environ))
    if out.returncode != 0:
        raise SystemExit(f'memory run of {path} failed (exit code {out.returncode}; -9: killed, '
                         f'e.g. out of memory):\n{out.stderr[-2000:]}')
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rss_mb():
    with open('/proc/self/status') as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith('VmRSS:'))


def main(argv=None):
    args = parse_args(argv)
    if args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('--device cuda: CUDA is not available')
    if args.memory_only:
        return memory_only(args)
    base_cfg, hfpl_cfg = _load(args.base), _load(args.hfpl)
    crop = _crop(base_cfg, args.crop)
    batch_size = args.batch_size or base_cfg.train_dataloader.batch_size
    args.batch_size = batch_size
    # the memory processes run before this one builds its models: at large batches one model's
    # step takes a good part of the host memory, and two at once would be killed
    peaks = {} if args.no_memory else {
        name: _peak_in_fresh_process(args, path, batch_size, crop)
        for name, path in (('base', args.base), ('hfpl', args.hfpl))}
    base = Case(base_cfg, args.device, args.seed)
    hfpl = Case(hfpl_cfg, args.device, args.seed, state=base.model_state)
    data = _batch(base.model, batch_size, crop, args.seed)
    times = {'base': [], 'hfpl': []}
    for _ in range(args.warmup):
        base.step(data, args.seed)
        hfpl.step(data, args.seed)
    for r in range(args.repeat):
        order = (('base', base), ('hfpl', hfpl)) if r % 2 == 0 else (('hfpl', hfpl),
                                                                       ('base', base))
        for name, case in order:
            times[name].append(case.step(data, args.seed))
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f'training step, batch {batch_size}, {crop}x{crop}, {args.device}, '
          f'threads {torch.get_num_threads()}, median of {args.repeat} (after {args.warmup} '
          'warm-up), interleaved')
    print('peak (MiB): host RSS high-water mark of the step (CUDA: max allocated); step '
          '(MiB): that peak above the memory held just before the step')
    print(f'{"config":<66} {"time (s)":>9} {"peak (MiB)":>11} {"step (MiB)":>11}')
    for name, path in (('base', args.base), ('hfpl', args.hfpl)):
        mem = (f'{peaks[name]["peak_mb"]:11.0f} {peaks[name]["step_mb"]:11.0f}'
               if name in peaks else f'{"-":>11} {"-":>11}')
        print(f'{osp.relpath(path, ROOT):<66} {median[name]:9.3f} {mem}')
    print(f'HFPL / baseline time ratio: {median["hfpl"] / median["base"]:.3f} '
          f'({100 * (median["hfpl"] / median["base"] - 1):+.1f}%)')
    if peaks:
        print('HFPL / baseline peak memory ratio: '
              f'{peaks["hfpl"]["peak_mb"] / peaks["base"]["peak_mb"]:.3f} (step: '
              f'{peaks["hfpl"]["step_mb"] / max(peaks["base"]["step_mb"], 1e-9):.3f})')
    return median, peaks


if __name__ == '__main__':
    main()
