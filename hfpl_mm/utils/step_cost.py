"""Wall time and peak memory of a block of work (a pipeline step), for the report's cost table.

Peak host memory is the process's resident-set high-water mark (``VmHWM``), reset at the start
of the block through ``/proc/self/clear_refs`` (Linux), so each step reports its own peak rather
than the process's; where that is unavailable it falls back to ``getrusage``'s lifetime maximum
(then a later step reports at least an earlier one's peak, and ``peak_mem_scope`` says so).
Data-loader worker processes are not included. CUDA peaks come from
``torch.cuda.max_memory_allocated``.
"""
import resource
import sys
import time
from contextlib import contextmanager
from typing import Dict, Iterator

import torch

__all__ = ['step_cost']


def _reset_peak_rss() -> bool:
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / 2**20 if sys.platform == 'darwin' else peak / 1024


@contextmanager
def step_cost() -> Iterator[Dict[str, float]]:
    """``with step_cost() as cost: ...`` fills ``cost`` with ``time_s``, ``peak_mem_mb`` (host,
    this process), ``peak_mem_scope`` ('step' or 'process') and, with CUDA, ``peak_cuda_mb``."""
    cost: Dict[str, float] = {}
    scope = 'step' if _reset_peak_rss() else 'process'
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    try:
        yield cost
    finally:
        cost.update(time_s=round(time.perf_counter() - start, 2),
                    peak_mem_mb=round(_peak_rss_mb(), 1), peak_mem_scope=scope)
        if torch.cuda.is_available():
            cost['peak_cuda_mb'] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
