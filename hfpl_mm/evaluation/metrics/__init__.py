"""Evaluation metrics, registered on the root ``mmengine.registry.METRICS`` (visible from the
``mmseg`` and ``mmpretrain`` scopes)."""
from .cam_metric import CAMMetric
from .jf_metric import JFMetric
from .pseudo_label_metric import PseudoLabelMetric

__all__ = ['CAMMetric', 'JFMetric', 'PseudoLabelMetric']
