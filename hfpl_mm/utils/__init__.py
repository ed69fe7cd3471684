from .cam import cams_to_label, normalize_cams
from .checkpoint import load_local_checkpoint, register_local_checkpoint_loader

__all__ = [
    'cams_to_label', 'normalize_cams', 'load_local_checkpoint', 'register_local_checkpoint_loader'
]
