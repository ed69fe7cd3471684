"""Loading of local checkpoints on torch >= 2.6.

mmengine 0.10.7 calls ``torch.load`` without ``weights_only``; torch >= 2.6 defaults it to True and
then refuses mmengine's own checkpoints (they pickle the message hub, numpy arrays and dtypes), so
``resume``, ``load_from`` and ``tools/test.py`` fail. mmengine has no setting for this, hence this
module: it re-registers the local-file scheme of :class:`CheckpointLoader` with a loader that
trusts local files, the files a user trains and names on the command line.
"""
import os.path as osp

import torch
from mmengine.runner.checkpoint import CheckpointLoader


def load_local_checkpoint(filename: str, map_location=None):
    """Load a local checkpoint with full unpickling (``weights_only=False``).

    Args:
        filename (str): Path of a local checkpoint file.
        map_location: Same as :func:`torch.load`.

    Returns:
        dict: The loaded checkpoint.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    try:
        return torch.load(filename, map_location=map_location, weights_only=False)
    except Exception as err:  # torch raises several unrelated types for a damaged file
        raise RuntimeError(f'cannot read checkpoint {filename}: {err}') from err


def register_local_checkpoint_loader() -> None:
    """Make :class:`CheckpointLoader` use :func:`load_local_checkpoint` for local paths."""
    CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
