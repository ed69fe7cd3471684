"""The report of pipeline runs: J / F / J&F per stage and method over seeds (md, json, png)."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional

import numpy as np

from hfpl_mm.utils.io import atomic_write_bytes

__all__ = ['jf_metrics', 'summarize_runs', 'write_report']

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


def _cell(stat: Optional[dict], fmt: str = '{:.1f}') -> str:
    if stat is None:
        return '–'
    if len(stat['values']) == 1 or stat['std'] == 0:
        return fmt.format(stat['mean'])
    return f'{fmt.format(stat["mean"])} ± {fmt.format(stat["std"])}'


def write_report(results: Dict[str, List[Dict[str, dict]]], seeds, work_dir: str) -> str:
    """Write ``report.md``, ``report.json`` and ``report.png`` into ``work_dir``.

    Args:
        results: ``{pipeline name: [per seed {report row: jf_metrics(...)}]}``, methods in the
            order to show them (baseline before its HFPL variant).
        seeds: The seeds of the runs.

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
    os.makedirs(work_dir, exist_ok=True)
    atomic_write_bytes(osp.join(work_dir, 'report.json'), json.dumps(
        dict(seeds=list(seeds), runs=results, summary=summary), indent=2).encode())
    atomic_write_bytes(osp.join(work_dir, 'report.md'), (
        '# WSSS pipeline report\n\nJ = mIoU, F = contour F-score, J&F their mean (%), mean ± '
        'std over seeds. Pseudo-label and refinement stages: training images; segmentor: '
        'validation images. CAM stages: labels written at the fixed background score '
        '(label bg); the sweep over the same images peaks at best bg.\n\n' + table +
        '\n').encode())
    _plot(results, osp.join(work_dir, 'report.png'))
    return table


def _plot(results: Dict[str, List[Dict[str, dict]]], path: str) -> None:
    """Per stage (columns) and metric J / F (rows): each method's seed values and mean."""
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
            ax.set_xticks(range(len(methods)), methods, rotation=20, ha='right', fontsize=7)
            ax.set_title(f'{stage}: {metric}', fontsize=9)
            ax.grid(axis='y', alpha=0.3)
    fig.tight_layout()
    fig.savefig(path + '.tmp.png')
    plt.close(fig)
    os.replace(path + '.tmp.png', path)
