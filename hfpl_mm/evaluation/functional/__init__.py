"""Evaluation functions on label maps: the contour F-score (numpy + OpenCV) and J through mmseg's
``IoUMetric`` arithmetic."""
from .boundary import (COUNT_FIELDS, boundary_match_counts, boundary_tolerance,
                       contour_fscore_from_counts, disk, resolve_fg_classes, seg2bmap)
from .jf_scores import JFAccumulator, jf_from_iou, label_areas, region_iou

__all__ = [
    'COUNT_FIELDS', 'JFAccumulator', 'boundary_match_counts', 'boundary_tolerance',
    'contour_fscore_from_counts', 'disk', 'jf_from_iou', 'label_areas', 'region_iou',
    'resolve_fg_classes', 'seg2bmap'
]
