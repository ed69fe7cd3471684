"""Framework-free evaluation functions (numpy + OpenCV): J (mIoU) and the contour F-score."""
from .boundary import (COUNT_FIELDS, JFAccumulator, boundary_match_counts, boundary_tolerance,
                       contour_fscore_from_counts, disk, intersect_and_union, jf_scores,
                       resolve_fg_classes, seg2bmap)

__all__ = [
    'COUNT_FIELDS', 'JFAccumulator', 'boundary_match_counts', 'boundary_tolerance',
    'contour_fscore_from_counts', 'disk', 'intersect_and_union', 'jf_scores',
    'resolve_fg_classes', 'seg2bmap'
]
