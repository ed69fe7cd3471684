"""Safe loading of local checkpoints (no code runs from a ``.pth``) and their safe form.

mmengine 0.10.7 calls ``torch.load`` without ``weights_only``. A checkpoint is a pickle, and a
crafted pickle runs code when it is loaded with ``weights_only=False`` (e.g. ``os.system``).
This module re-registers the local-file scheme of mmengine's :class:`CheckpointLoader` (its
documented extension point, used by ``resume``, ``load_from``, ``tools/test.py`` and the
``Pretrained`` init) with :func:`load_local_checkpoint`, which unpickles with
``weights_only=True``: tensors, containers and numbers only.

mmengine's own checkpoints need more only for the message hub (``HistoryBuffer`` objects whose
state holds bound methods through ``builtins.getattr``, numpy arrays, dtypes and scalars), so
:func:`to_safe` writes those as plain containers when a checkpoint is saved
(:class:`~hfpl_mm.engine.runner.HFPLRunner`) and :func:`from_safe` rebuilds them when it is
loaded. Weights, optimizer, schedulers and meta need nothing.

A foreign checkpoint that needs other globals is refused with an error naming the file and the
globals; loading it in full is an explicit opt-in for files you trust: ``--unsafe-load`` of the
tools, or the environment variable ``HFPL_MM_UNSAFE_LOAD=1``, or :func:`allow_unsafe_load`.
"""
import os
import os.path as osp
import pickle
from collections import OrderedDict

import numpy as np
import torch
from mmengine.runner.checkpoint import CheckpointLoader

__all__ = ['CheckpointReadError', 'UnsafeCheckpointError', 'UNSAFE_LOAD_ENV', 'allow_unsafe_load',
           'unsafe_load_allowed', 'load_local_checkpoint', 'register_local_checkpoint_loader',
           'to_safe', 'from_safe', 'SAFE_FORM_KEYS']

#: environment variable that opts in to full unpickling (``1``): for trusted files only
UNSAFE_LOAD_ENV = 'HFPL_MM_UNSAFE_LOAD'
_HISTORY_BUFFER = '__mmengine_history_buffer__'
_NDARRAY = '__numpy_ndarray__'
#: the parts of a checkpoint written in safe form (weights, optimizer, schedulers need nothing)
SAFE_FORM_KEYS = ('meta', 'message_hub')


class CheckpointReadError(RuntimeError):
    """A checkpoint file exists but cannot be read (empty, truncated, not a checkpoint)."""


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint needs globals that ``weights_only`` loading refuses (it could run code)."""


def allow_unsafe_load(allow: bool = True) -> None:
    """Opt in (or out) of full unpickling for this process and its children."""
    if allow:
        os.environ[UNSAFE_LOAD_ENV] = '1'
    else:
        os.environ.pop(UNSAFE_LOAD_ENV, None)


def unsafe_load_allowed() -> bool:
    """Whether full unpickling was opted in to (``HFPL_MM_UNSAFE_LOAD=1``)."""
    return os.environ.get(UNSAFE_LOAD_ENV, '') not in ('', '0', 'false', 'False')


def load_local_checkpoint(filename: str, map_location=None):
    """Load a local checkpoint with ``weights_only=True`` (full unpickling only when opted in).

    Args:
        filename (str): Path of a local checkpoint file.
        map_location: Same as :func:`torch.load`.

    Returns:
        dict: The checkpoint, its ``meta`` / ``message_hub`` rebuilt from the safe form
        (:func:`from_safe`).

    Raises:
        FileNotFoundError: No such file.
        CheckpointReadError: Empty, truncated or otherwise unreadable file.
        UnsafeCheckpointError: The file needs globals beyond tensors and containers; the message
            names them and the opt-in.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    if osp.getsize(filename) == 0:
        raise CheckpointReadError(f'cannot read checkpoint {filename}: the file is empty')
    if unsafe_load_allowed():
        loader = dict(weights_only=False)
    else:
        loader = dict(weights_only=True)
    try:
        checkpoint = torch.load(filename, map_location=map_location, **loader)
    except Exception as err:  # torch raises several unrelated types for a damaged file
        refused = _refused_globals(filename) if loader['weights_only'] else []
        if refused:
            raise UnsafeCheckpointError(_refusal(filename, refused)) from None
        raise CheckpointReadError(f'cannot read checkpoint {filename}: {err}') from err
    if isinstance(checkpoint, dict):
        for key in SAFE_FORM_KEYS:
            if key in checkpoint:
                checkpoint[key] = from_safe(checkpoint[key])
    return checkpoint


def _refused_globals(filename: str) -> list:
    """The globals of a checkpoint's pickle that ``weights_only`` loading refuses ([] when
    none, or when the file is not a readable zip checkpoint)."""
    try:
        return sorted(set(torch.serialization.get_unsafe_globals_in_checkpoint(filename)))
    except Exception:  # noqa: BLE001 - a damaged file: reported as unreadable instead
        return []


def _refusal(filename: str, refused: list) -> str:
    """The message for a file whose pickle needs globals ``weights_only`` refuses."""
    names = ', '.join(refused)
    return (f'refusing to load checkpoint {filename}: its pickle needs {names}, which could run '
            'code when loaded (only tensors, containers and numbers are loaded by default). If '
            f'you trust the file, opt in with --unsafe-load (or {UNSAFE_LOAD_ENV}=1); '
            'checkpoints saved by hfpl_mm never need it')


def register_local_checkpoint_loader() -> None:
    """Make :class:`CheckpointLoader` use :func:`load_local_checkpoint` for local paths."""
    CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)


def to_safe(obj):
    """``obj`` with mmengine ``HistoryBuffer`` objects, numpy arrays and numpy scalars replaced by
    plain containers and Python numbers, so ``torch.load(weights_only=True)`` reads it."""
    from mmengine.logging import HistoryBuffer
    if isinstance(obj, HistoryBuffer):
        log, count = obj.data
        return {_HISTORY_BUFFER: dict(log_history=log.tolist(), count_history=count.tolist(),
                                      max_length=int(obj.max_length))}
    if isinstance(obj, np.ndarray):
        return {_NDARRAY: dict(data=obj.tolist(), dtype=str(obj.dtype))}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, OrderedDict):
        return OrderedDict((k, to_safe(v)) for k, v in obj.items())
    if isinstance(obj, dict):
        return {k: to_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_safe(v) for v in obj) if type(obj) in (list, tuple) else obj
    return obj


def from_safe(obj):
    """Inverse of :func:`to_safe` (other values are returned as they are)."""
    if isinstance(obj, dict):
        if len(obj) == 1 and _HISTORY_BUFFER in obj:
            from mmengine.logging import HistoryBuffer
            return HistoryBuffer(**obj[_HISTORY_BUFFER])
        if len(obj) == 1 and _NDARRAY in obj:
            return np.array(obj[_NDARRAY]['data'], dtype=obj[_NDARRAY]['dtype'])
        items = ((k, from_safe(v)) for k, v in obj.items())
        return OrderedDict(items) if isinstance(obj, OrderedDict) else dict(items)
    if type(obj) in (list, tuple):
        return type(obj)(from_safe(v) for v in obj)
    return obj
