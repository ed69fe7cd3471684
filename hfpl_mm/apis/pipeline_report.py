"""The report of pipeline runs: J / F / J&F per stage and method over seeds, the paired
differences of each HFPL variant from its baseline, and each stage's cost (md, json, png)."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from hfpl_mm.utils.io import atomic_write_bytes

__all__ = ['jf_metrics', 'summarize_runs', 'paired_differences', 'write_report']

METRICS = ('J', 'F', 'J&F')
#: CAM stages (pseudo-label writers with a background sweep) also report the sweep's best
#: background score and the J / F there (the paper's Tab. 1 protocol) next to the fixed score
SWEEP = dict(bg_thr='label bg', sweep_bg_thr='best bg', sweep_J='J at best',
             sweep_F='F at best')


def jf_metrics(metrics: dict) -> Dict[str, float]:
    """J, F, J&F (and the sweep keys) of a metric dict whatever their prefix ('pseudo/J',
    'refined/J', 'J')."""
    wanted = METRICS + tuple(SWEEP)
    return {k: float(v) for key, v in metrics.items() for k in wanted
            if key == k or key.endswith('/' + k)}


def summarize_runs(runs: List[Dict[str, dict]]) -> Dict[str, Dict[str, dict]]:
    """``{stage: {metric: {mean, std, values}}}`` over the runs (seeds) of one pipeline."""
    summary = {}
    for stage in runs[0]:
        keys = [k for k in runs[0][stage] if all(k in r[stage] for r in runs)]
        summary[stage] = {
            k: dict(mean=float(np.mean(v)), std=float(np.std(v)), values=v)
            for k in keys for v in [[r[stage][k] for r in runs]]}
    return summary


def paired_differences(base: List[Dict[str, dict]], other: List[Dict[str, dict]],
                       metrics: Sequence[str] = ('J', 'F')) -> Dict[str, Dict[str, dict]]:
    """``{row: {metric: {mean, ci, n, values}}}`` of ``other - base`` over the runs the two
    share by position (the same seeds): the mean paired difference and its 95% confidence
    interval from Student's t with n - 1 degrees of freedom (None for n < 2)."""
    from scipy import stats
    out = {}
    for row in base[0] if base else {}:
        for metric in metrics:
            diffs = [o[row][metric] - b[row][metric] for b, o in zip(base, other)
                     if metric in b.get(row, {}) and metric in o.get(row, {})]
            if not diffs:
                continue
            n, mean = len(diffs), float(np.mean(diffs))
            ci = None
            if n > 1:
                half = float(stats.t.ppf(0.975, n - 1) * np.std(diffs, ddof=1) / np.sqrt(n))
                ci = [mean - half, mean + half]
            out.setdefault(row, {})[metric] = dict(mean=mean, ci=ci, n=n, values=diffs)
    return out


def _diff_cell(stat: Optional[dict]) -> str:
    if stat is None:
        return '–'
    if stat['ci'] is None:
        return f'{stat["mean"]:+.1f}'
    return f'{stat["mean"]:+.1f} [{stat["ci"][0]:+.1f}, {stat["ci"][1]:+.1f}]'


def _cell(stat: Optional[dict], fmt: str = '{:.1f}') -> str:
    if stat is None:
        return '–'
    if len(stat['values']) == 1 or stat['std'] == 0:
        return fmt.format(stat['mean'])
    return f'{fmt.format(stat["mean"])} ± {fmt.format(stat["std"])}'


def write_report(results: Dict[str, List[Dict[str, dict]]], seeds, work_dir: str,
                 pairs: Sequence[Tuple[str, str]] = (),
                 costs: Optional[Dict[str, List[Dict[str, dict]]]] = None,
                 resumed: Optional[Dict[str, Dict[int, dict]]] = None) -> str:
    """Write ``report.md``, ``report.json`` and ``report.png`` into ``work_dir``.

    Args:
        results: ``{pipeline name: [per seed {report row: jf_metrics(...)}]}``, methods in the
            order to show them (baseline before its HFPL variant).
        seeds: The seeds of the runs.
        pairs: ``(baseline, variant)`` names whose runs share the seeds: the report adds their
            paired differences (:func:`paired_differences`) and the figure links each seed's
            pair.
        costs: ``{pipeline name: [per seed {stage: {time_s, peak_mem_mb}}]}``
            (:meth:`~hfpl_mm.apis.Pipeline.costs`).
        resumed: ``{pipeline name: {seed: {stage: {step: what}}}}`` of the runs that were
            interrupted and resumed (:meth:`~hfpl_mm.apis.Pipeline.resumed`).

    Returns:
        str: The markdown table.
    """
    summary = {name: summarize_runs(runs) for name, runs in results.items()}
    has_sweep = any(k in stats for s in summary.values() for stats in s.values() for k in SWEEP)
    head = ['pipeline', 'stage', 'seeds', *METRICS] + (list(SWEEP.values()) if has_sweep else [])
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for name, stages in summary.items():
        for stage, stats in stages.items():
            cells = [name, stage, str(len(results[name]))]
            cells += [_cell(stats.get(k)) for k in METRICS]
            if has_sweep:
                cells += [_cell(stats.get(k), '{:.2f}' if 'bg' in k else '{:.1f}')
                          for k in SWEEP]
            lines.append('| ' + ' | '.join(cells) + ' |')
    table = '\n'.join(lines)
    differences = {f'{b} -> {o}': paired_differences(results[b], results[o])
                   for b, o in pairs if b in results and o in results}
    sections = [table]
    if differences:
        diff_lines = ['| pair | stage | seeds | ΔJ [95% CI] | ΔF [95% CI] |', '|---|---|---|---|---|']
        for pair, rows in differences.items():
            for row, stats in rows.items():
                n = max(s['n'] for s in stats.values())
                diff_lines.append(f'| {pair} | {row} | {n} | {_diff_cell(stats.get("J"))} | '
                                  f'{_diff_cell(stats.get("F"))} |')
        sections.append('Paired differences (variant - baseline, same seed), mean and 95% '
                        "confidence interval (Student's t over seeds):\n\n" +
                        '\n'.join(diff_lines))
    cost_summary = {name: _summarize_costs(runs) for name, runs in (costs or {}).items()}
    if any(cost_summary.values()):
        cost_lines = ['| pipeline | stage | time (s) | peak memory (MiB) |', '|---|---|---|---|']
        for name, stages in cost_summary.items():
            for stage, stat in stages.items():
                cost_lines.append(f'| {name} | {stage} | {_cell(stat["time_s"], "{:.0f}")} | '
                                  f'{stat["peak_mem_mb"]:.0f} |')
        sections.append('Cost per stage (wall time, mean ± std over seeds; peak resident '
                        'memory of the main process, max over seeds; as recorded when the stage '
                        'ran):\n\n' + '\n'.join(cost_lines))
    if resumed:
        sections.append('Resumed after an interruption (the figures equal an uninterrupted '
                        'run\'s on the CPU): ' + '; '.join(
                            f'{name} seed {seed}: ' + ', '.join(
                                f'{stage} ({", ".join(f"{s} {w}" for s, w in steps.items())})'
                                for stage, steps in stages.items())
                            for name, by_seed in resumed.items()
                            for seed, stages in by_seed.items()))
    os.makedirs(work_dir, exist_ok=True)
    atomic_write_bytes(osp.join(work_dir, 'report.json'), json.dumps(
        dict(seeds=list(seeds), runs=results, summary=summary, paired=differences,
             costs=costs or {}, resumed=resumed or {}), indent=2).encode())
    atomic_write_bytes(osp.join(work_dir, 'report.md'), (
        '# WSSS pipeline report\n\nJ = mIoU, F = contour F-score, J&F their mean (%), mean ± '
        'std over seeds. Pseudo-label and refinement stages: training images; segmentor and '
        '(val) rows: validation images. CAM stages: labels written at the background score '
        '"label bg" (fixed, or chosen on the validation images); the sweep over the same '
        'images peaks at "best bg".\n\n' + '\n\n'.join(sections) + '\n').encode())
    _plot(results, osp.join(work_dir, 'report.png'), pairs)
    return '\n\n'.join(sections)


def _summarize_costs(runs: List[Dict[str, dict]]) -> Dict[str, dict]:
    stages = list(dict.fromkeys(s for run in runs for s in run))
    out = {}
    for stage in stages:
        times = [run[stage]['time_s'] for run in runs if stage in run]
        out[stage] = dict(time_s=dict(mean=float(np.mean(times)), std=float(np.std(times)),
                                      values=times),
                          peak_mem_mb=max(run[stage]['peak_mem_mb'] for run in runs
                                          if stage in run))
    return out


def _plot(results: Dict[str, List[Dict[str, dict]]], path: str,
          pairs: Sequence[Tuple[str, str]] = ()) -> None:
    """Per stage (columns) and metric J / F (rows): each method's seed values and mean; a grey
    line joins the two runs of a (baseline, variant) pair with the same seed."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    stages = list(dict.fromkeys(s for runs in results.values() for s in runs[0]))
    methods = list(results)
    fig, axes = plt.subplots(2, len(stages), figsize=(2.2 + 1.1 * len(methods) * len(stages), 5),
                             squeeze=False, dpi=100)
    for col, stage in enumerate(stages):
        for row, metric in enumerate(('J', 'F')):
            ax = axes[row][col]
            for x, method in enumerate(methods):
                values = [r[stage][metric] for r in results[method]
                          if metric in r.get(stage, {})]
                if not values:
                    continue
                ax.bar(x, np.mean(values), color=f'C{x}', alpha=0.35, width=0.6)
                ax.scatter([x] * len(values), values, color=f'C{x}', s=14, zorder=3)
            for base, other in pairs:
                if base not in methods or other not in methods:
                    continue
                xb, xo = methods.index(base), methods.index(other)
                for rb, ro in zip(results[base], results[other]):
                    if metric in rb.get(stage, {}) and metric in ro.get(stage, {}):
                        ax.plot([xb, xo], [rb[stage][metric], ro[stage][metric]], color='0.5',
                                lw=0.7, alpha=0.7, zorder=2)
            ax.set_xticks(range(len(methods)), methods, rotation=20, ha='right', fontsize=7)
            ax.set_title(f'{stage}: {metric}', fontsize=9)
            ax.grid(axis='y', alpha=0.3)
    fig.tight_layout()
    fig.savefig(path + '.tmp.png')
    plt.close(fig)
    os.replace(path + '.tmp.png', path)
