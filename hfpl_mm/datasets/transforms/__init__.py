from .load_cams import CAM_META_KEYS, LoadCAMs

__all__ = ['LoadCAMs', 'CAM_META_KEYS']
