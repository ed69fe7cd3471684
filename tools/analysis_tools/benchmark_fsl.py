"""Benchmark MaskedFSL (blocked exact Laplacian form) against a dense pairwise implementation.

The dense reference materialises B x HW x HW tensors with ``torch.cdist`` like the authors'
public code (``arvijj/hfpl`` ``tool/probutils.py``) and evaluates the same formula
(same gate input, same image resize, same ``eps``). Each (implementation, size, device) case runs
in a fresh spawned subprocess so that its peak memory is clean:

* CPU: peak resident memory above the RSS measured just before the first forward+backward
  (kernel peak RSS ``VmHWM`` after resetting it via ``/proc/self/clear_refs``, and a 1 ms
  ``/proc/self/statm`` sampler where that reset is not permitted).
* CUDA: ``torch.cuda.max_memory_allocated`` above the memory allocated before the run.

Time = median of ``--repeat`` forward+backward passes after that first (untimed) pass.
Exactness: ``value rel`` = |L - L_dense| / |L_dense|, ``grad rel`` = max |dL - dL_dense| /
max |dL_dense| (gradients w.r.t. the CAM logits).

Only torch and ``hfpl_mm/models/losses`` are imported (mmengine optional), so this also runs
on a machine without the OpenMMLab stack::

    python tools/analysis_tools/benchmark_fsl.py --device all --repeat 3
"""
import argparse
import importlib.util
import io
import math
import multiprocessing as mp
import os
import statistics
import sys
import threading
import time

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def _load_losses():
    """``hfpl_mm.models.losses``, or the package loaded from its files if hfpl_mm won't import."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    try:
        import hfpl_mm.models.losses as losses
        return losses
    except Exception:  # e.g. hfpl_mm/__init__ needs packages absent on this machine
        pkg_dir = os.path.join(ROOT, 'hfpl_mm', 'models', 'losses')
        spec = importlib.util.spec_from_file_location(
            '_hfpl_losses', os.path.join(pkg_dir, '__init__.py'),
            submodule_search_locations=[pkg_dir])
        mod = importlib.util.module_from_spec(spec)
        sys.modules['_hfpl_losses'] = mod
        spec.loader.exec_module(mod)
        return mod


# --------------------------------------------------------------------------------------------
# inputs and implementations


def make_inputs(B, C, h, w, seed, dtype, device, img_scale=8):
    """Smooth random logits with 2-3 present classes per image; images with smooth colour fields
    and piecewise-constant regions (edges), RGB in [0, 1], ``img_scale`` x the CAM size."""
    g = torch.Generator().manual_seed(seed)
    low = torch.randn(B, C, max(1, h // 8), max(1, w // 8), generator=g)
    s = 3.0 * F.interpolate(low, size=(h, w), mode='bilinear', align_corners=False) - 1.0
    s = s + 0.3 * torch.randn(B, C, h, w, generator=g)
    y = torch.zeros(B, C)
    for b in range(B):
        k = 2 + int(torch.randint(0, 2, (1, ), generator=g))
        y[b, torch.randperm(C, generator=g)[:k]] = 1.0
    H, W = h * img_scale, w * img_scale
    smooth = F.interpolate(torch.randn(B, 3, 6, 6, generator=g), size=(H, W), mode='bicubic',
                           align_corners=False)
    regions = F.interpolate(torch.rand(B, 3, 8, 8, generator=g), size=(H, W), mode='nearest')
    img = (0.6 * regions + 0.4 * torch.sigmoid(smooth)).clamp(0, 1)
    return (s.to(device=device, dtype=dtype), img.to(device=device, dtype=dtype),
            y.to(device=device, dtype=dtype))


def dense_pairwise(r, x, mu, sigma, eps):
    """Dense sum of eq. (9) with B x HW x HW cdist tensors (public-code style), divided by B HW
    and negated: the same quantity as ``MaskedFSL`` for the same gate input ``r``."""
    B, K, h, w = r.shape
    X = x.flatten(2).transpose(1, 2)
    q = r.flatten(2).transpose(1, 2)
    yy, xx = torch.meshgrid(torch.arange(h, device=r.device), torch.arange(w, device=r.device),
                            indexing='ij')
    pos = torch.stack([yy, xx], -1).reshape(1, -1, 2).to(r.dtype)
    wgt = torch.exp(-torch.cdist(pos, pos)**2 / (2 * sigma**2)) / (2 * math.pi * sigma**2)
    d = (torch.cdist(X, X, p=1) / 3).clamp(0, 1)
    f = torch.tanh(mu + torch.log((d + eps) / (1 - d + eps)))
    g = 0.5 * torch.cdist(q, q)**2
    return -(wgt * g * f).sum() / (B * h * w)


def run_impl(losses, impl, s, img, y, cfg):
    """One forward + backward; returns (loss value, grad w.r.t. s)."""
    s = s.detach().requires_grad_(True)
    mu, sigma, eps, up = 2.5, 5.0, cfg['eps'], cfg['upsample']
    if impl == 'ours':
        fsl = losses.MaskedFSL(mu=mu, sigma=sigma, background=cfg['background'], upsample=up,
                               eps=eps, block_elems=cfg['block_elems'])
        loss = fsl(s, img, y)
        loss.backward()
        return float(loss.detach()), s.grad
    B, C, h, w = s.shape
    H, W = h * up, w * up
    x = torch.cat([  # per image, exactly as MaskedFSL does
        F.interpolate(xb, size=(H, W), mode='bilinear', align_corners=False) for xb in img.split(1)
    ]).clamp(0, 1)
    total = 0.0
    chunks = [slice(b, b + 1) for b in range(B)] if impl == 'dense_per_image' else [slice(0, B)]
    for sl in chunks:
        ss = s[sl]
        if up > 1:
            ss = F.interpolate(ss, size=(H, W), mode='bilinear', align_corners=False)
        r = losses.fsl_gate(ss, y[sl], 'max_norm', 'max', True, cfg['background'])
        loss = dense_pairwise(r, x[sl], mu, sigma, eps) * (ss.shape[0] / B)
        loss.backward()
        total += float(loss.detach())
    return total, s.grad


# --------------------------------------------------------------------------------------------
# per-case subprocess


def _rss_bytes():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def _reset_peak_rss():
    """Reset the kernel's peak-RSS counter (VmHWM) of this process; False if not possible."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        return _peak_rss_bytes() is not None
    except OSError:
        return False


def _peak_rss_bytes():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return None


class _RssSampler(threading.Thread):

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = _rss_bytes()
        self._stop_evt = threading.Event()

    def run(self):
        while not self._stop_evt.is_set():
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(0.001)

    def stop(self):
        self._stop_evt.set()
        self.join()
        self.peak = max(self.peak, _rss_bytes())


def _sync(device):
    if device == 'cuda':
        torch.cuda.synchronize()


def _case(cfg, queue):
    try:
        torch.set_num_threads(cfg['threads']) if cfg['threads'] else None
        losses = _load_losses()
        dev = cfg['device']
        dtype = getattr(torch, cfg['dtype'])
        s, img, y = make_inputs(cfg['B'], cfg['C'], cfg['size'], cfg['size'], cfg['seed'], dtype,
                                dev)
        _sync(dev)
        if dev == 'cuda':
            torch.cuda.reset_peak_memory_stats()
            base = torch.cuda.memory_allocated()
            value, grad = run_impl(losses, cfg['impl'], s, img, y, cfg)
            _sync(dev)
            peak = torch.cuda.max_memory_allocated() - base
        else:
            hwm_reset = _reset_peak_rss()
            base = _rss_bytes()
            sampler = _RssSampler()
            sampler.start()
            value, grad = run_impl(losses, cfg['impl'], s, img, y, cfg)
            sampler.stop()
            peak = sampler.peak
            if hwm_reset:  # kernel-tracked peak since the reset: exact, unlike a sampler
                peak = max(peak, _peak_rss_bytes())
            peak -= base
        times = []
        for _ in range(cfg['repeat']):
            _sync(dev)
            t0 = time.perf_counter()
            run_impl(losses, cfg['impl'], s, img, y, cfg)
            _sync(dev)
            times.append(time.perf_counter() - t0)
        buf = io.BytesIO()  # plain bytes: tensors in a Queue would go through shared memory
        torch.save(grad.detach().float().cpu(), buf)
        queue.put(dict(ok=True, value=value, grad=buf.getvalue(),
                       ms=1e3 * statistics.median(times), peak_mb=peak / 2**20))
    except Exception as e:  # report instead of hanging the parent
        queue.put(dict(ok=False, error=f'{type(e).__name__}: {e}'))


def run_case(cfg):
    ctx = mp.get_context('spawn')
    queue = ctx.Queue()
    p = ctx.Process(target=_case, args=(cfg, queue))
    p.start()
    try:
        res = queue.get(timeout=cfg['timeout'])
    except Exception as e:
        res = dict(ok=False, error=f'no result ({type(e).__name__}; exit code {p.exitcode})')
    if res.get('ok'):
        res['grad'] = torch.load(io.BytesIO(res['grad']))
    p.join(timeout=10)
    if p.is_alive():
        p.kill()
    return res


def dense_gb(B, hw, per_image=False):
    """Rough peak of the dense path: ~5.5 B x HW x HW float32 matrices (its cdist / tanh
    temporaries; this tool measures the real peak)."""
    return 5.5 * (1 if per_image else B) * hw * hw * 4 / 2**30


# --------------------------------------------------------------------------------------------


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cpu', choices=['cpu', 'cuda', 'all'])
    p.add_argument('--sizes', type=int, nargs='+', default=[56, 112],
                   help='CAM sizes (square) to benchmark')
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--classes', type=int, default=21)
    p.add_argument('--repeat', type=int, default=3)
    p.add_argument('--max-dense-gb', type=float, default=16.0,
                   help='skip a dense case whose estimated peak exceeds this')
    p.add_argument('--per-image-dense', action='store_true',
                   help='also run a dense reference that loops over images (B=1 matrices), used '
                   'for the exactness check where the batched dense case is skipped')
    p.add_argument('--background', default=None, choices=[None, 'one_minus_max'])
    p.add_argument('--upsample', type=int, default=1)
    p.add_argument('--eps', type=float, default=0.0)
    p.add_argument('--dtype', default='float32', choices=['float32', 'float64'])
    p.add_argument('--block-elems', type=int, default=None)
    p.add_argument('--threads', type=int, default=0, help='torch CPU threads (0 = default)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--timeout', type=float, default=3600)
    return p.parse_args()


def main():
    args = parse_args()
    print("losses from", _load_losses().__file__)  # fails early if they do not import
    block = args.block_elems
    devices = ['cpu', 'cuda'] if args.device == 'all' else [args.device]
    if 'cuda' in devices and not torch.cuda.is_available():
        print('CUDA not available: skipping cuda cases')
        devices = [d for d in devices if d != 'cuda']
    print(f'torch {torch.__version__}, threads {args.threads or torch.get_num_threads()}, '
          f'B={args.batch}, C={args.classes}, dtype={args.dtype}, background={args.background}, '
          f'upsample={args.upsample}, eps={args.eps}, block_elems={block or "default"}, '
          f'repeat={args.repeat}')
    if 'cuda' in devices:
        print('cuda device:', torch.cuda.get_device_name(0))
    header = (f'{"device":6} {"CAM":>8} {"impl":16} {"time ms":>10} {"peak MB":>10} '
              f'{"t dense/ours":>13} {"mem dense/ours":>15} {"value rel":>10} {"grad rel":>10}')
    print(header)
    print('-' * len(header))
    for dev in devices:
        for size in args.sizes:
            hw = (size * args.upsample)**2
            base = dict(device=dev, size=size, B=args.batch, C=args.classes, seed=args.seed,
                        dtype=args.dtype, repeat=args.repeat, background=args.background,
                        upsample=args.upsample, eps=args.eps, block_elems=block,
                        threads=args.threads, timeout=args.timeout)
            ours = run_case(dict(base, impl='ours'))
            label = f'{size}x{size}' + (f'(x{args.upsample})' if args.upsample > 1 else '')
            _print_row(dev, label, 'ours', ours, None)
            impls = ['dense']
            if args.per_image_dense:
                impls.append('dense_per_image')
            for impl in impls:
                need = dense_gb(args.batch, hw, impl == 'dense_per_image')
                if need > args.max_dense_gb:
                    print(f'{dev:6} {label:>8} {impl:16} skipped (needs ~{need:.0f} GB > '
                          f'--max-dense-gb {args.max_dense_gb:g})')
                    continue
                res = run_case(dict(base, impl=impl))
                _print_row(dev, label, impl, res, ours)
            sys.stdout.flush()


def _print_row(dev, label, impl, res, ours):
    if not res['ok']:
        print(f'{dev:6} {label:>8} {impl:16} FAILED: {res["error"]}')
        return
    extra = ''
    if ours is not None and ours['ok']:
        t_ratio = res['ms'] / ours['ms']
        m_ratio = res['peak_mb'] / max(ours['peak_mb'], 1e-9)
        v_rel = abs(ours['value'] - res['value']) / max(abs(res['value']), 1e-30)
        g_rel = float((ours['grad'] - res['grad']).abs().max() / res['grad'].abs().max())
        extra = f'{t_ratio:13.1f} {m_ratio:15.1f} {v_rel:10.2e} {g_rel:10.2e}'
    print(f'{dev:6} {label:>8} {impl:16} {res["ms"]:10.1f} {res["peak_mb"]:10.1f} {extra}')


if __name__ == '__main__':
    main()
