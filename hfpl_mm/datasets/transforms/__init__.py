from .load_cams import CAM_META_KEYS, LoadCAMs
from .multi_crop_sample import MultiCropSample
from .load_foreground_ratios import LoadForegroundRatios

__all__ = ['LoadCAMs', 'CAM_META_KEYS', 'LoadForegroundRatios']
__all__ += ['MultiCropSample']
