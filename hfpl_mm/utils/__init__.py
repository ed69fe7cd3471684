from .cam import cams_to_label, cams_to_labels, normalize_cams
from .checkpoint import load_local_checkpoint, register_local_checkpoint_loader

__all__ = [
    'cams_to_label', 'cams_to_labels', 'normalize_cams', 'load_local_checkpoint',
    'register_local_checkpoint_loader'
]
