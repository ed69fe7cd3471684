"""Config loading and Runner construction shared by ``tools/train.py``, ``tools/test.py`` and the
pipelines, so every entry point reports bad input the same way.

Bad input raises :class:`FileNotFoundError` (a missing config, data root or checkpoint) or
:class:`KeyError` (a ``type`` no registry knows), with a message naming the file or config key;
the tools turn these into an exit with that message (:func:`input_error_message`).
"""
import os
import os.path as osp
from typing import Iterator, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner import Runner

DATALOADER_KEYS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def load_config(path: str, cfg_options: Optional[dict] = None, launcher: str = 'none',
                work_dir: Optional[str] = None) -> Config:
    """Read a config, apply ``--cfg-options`` and pick the work dir (CLI > config > file name)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    cfg = Config.fromfile(path)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(path))[0])
    return cfg


def _datasets(cfg: dict, key: str) -> Iterator[Tuple[str, dict]]:
    """Yield ``(dotted key, dataset cfg)`` for a dataset and the ones it wraps."""
    if not isinstance(cfg, dict):
        return
    yield key, cfg
    if isinstance(cfg.get('dataset'), dict):
        yield from _datasets(cfg['dataset'], f'{key}.dataset')
    for i, sub in enumerate(cfg.get('datasets') or []):
        yield from _datasets(sub, f'{key}.datasets.{i}')


def check_data_roots(cfg: Config) -> None:
    """Fail early, naming the key, when a data set's ``data_root`` does not exist.

    Data sets that build their own data (``generate=True``, the synthetic set) are skipped.
    """
    for loader_key in DATALOADER_KEYS:
        loader = cfg.get(loader_key)
        if not loader:
            continue
        for key, ds in _datasets(loader.get('dataset'), f'{loader_key}.dataset'):
            root = ds.get('data_root')
            if root and not ds.get('generate', False) and not osp.isdir(root):
                raise FileNotFoundError(
                    f'{key}.data_root: directory not found: {root} (see README, "Data sets", '
                    'for the converters that build it)')


def setup_cpu_distributed(cfg: Config) -> None:
    """Make a distributed launch work without CUDA (mmengine 0.10.7 assumes GPUs).

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` and its DDP wrapper passes
    ``device_ids=[local_rank]``; both fail on CPU. So the process group is initialised here with
    gloo (the Runner then skips its own), and DDP gets ``device_ids=None``.
    """
    import torch.distributed as torch_dist
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    if not torch_dist.is_initialized():
        print_log('no CUDA device: distributed training on the CPU with gloo', logger='current')
        torch_dist.init_process_group(backend='gloo')
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(type='MMDistributedDataParallel', device_ids=None)


def close_distributed() -> None:
    """End a distributed entry point (tools/train.py, tools/test.py) after a successful run.

    Waits for every rank, destroys the process group, flushes the logs and leaves with
    ``os._exit(0)``. The process group object stays alive after ``destroy_process_group`` (it is
    still referenced), and tearing gloo down during the interpreter's finalisation intermittently
    aborts a rank *after* a successful run ("terminate called without an active exception", SIGABRT;
    pytorch/pytorch#190489), which torchrun then reports as a failed job. Checkpoints and logs
    are closed by then; nothing is left to the finalisation. No-op when not distributed.
    """
    import logging
    import sys

    import torch.distributed as torch_dist
    if not (torch_dist.is_available() and torch_dist.is_initialized()):
        return
    torch_dist.barrier()
    torch_dist.destroy_process_group()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def build_runner(cfg: Config, config_path: str = '<config>') -> Runner:
    """Build the Runner of ``cfg``; an unknown ``type`` is reported with the config's path."""
    check_data_roots(cfg)
    setup_cpu_distributed(cfg)
    if cfg.get('load_from') and not cfg.get('resume') and not osp.isfile(cfg.load_from):
        raise FileNotFoundError(f'load_from: checkpoint file not found: {cfg.load_from}')
    try:
        if 'runner_type' in cfg:
            from mmengine.registry import RUNNERS
            return RUNNERS.build(cfg)
        return Runner.from_cfg(cfg)
    except KeyError as err:
        if 'registry' in str(err):
            raise KeyError(f'{config_path}: {err.args[0]}') from err
        raise


def bad_input_errors() -> tuple:
    """Exceptions the tools report as a message without a traceback: bad input (above), a
    refused or unreadable checkpoint, a checkpoint of another model, a locked work dir, and a
    diverged training."""
    from hfpl_mm.engine.hooks.safe_checkpoint_hook import NonFiniteModelError
    from hfpl_mm.utils.checkpoint import CheckpointReadError, UnsafeCheckpointError
    from hfpl_mm.utils.lock import WorkDirLockedError
    return (FileNotFoundError, KeyError, ValueError, CheckpointReadError, UnsafeCheckpointError,
            WorkDirLockedError, NonFiniteModelError)


def input_error_message(err: Exception) -> str:
    """The message of a bad-input exception, for a tool's exit (``str`` of a KeyError quotes it)."""
    if isinstance(err, KeyError) and len(err.args) == 1:
        return str(err.args[0])
    return str(err)
