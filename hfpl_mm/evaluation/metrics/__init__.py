"""Evaluation metrics, registered on the root ``mmengine.registry.METRICS`` (visible from the
``mmseg`` and ``mmpretrain`` scopes)."""
from .bg_channel_pseudo_label_metric import BgChannelPseudoLabelMetric
from .cam_metric import CAMMetric
from .jf_metric import JFMetric
from .output_writer import OutputWriter
from .pseudo_label_metric import PseudoLabelMetric
from .refined_label_metric import RefinedLabelMetric

__all__ = ['CAMMetric', 'JFMetric', 'OutputWriter', 'PseudoLabelMetric', 'RefinedLabelMetric']
__all__ += ['BgChannelPseudoLabelMetric']
