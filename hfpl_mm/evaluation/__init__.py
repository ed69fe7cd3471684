from .functional import JFAccumulator
from .metrics import CAMMetric, JFMetric, OutputWriter, PseudoLabelMetric, RefinedLabelMetric

__all__ = [
    'CAMMetric', 'JFMetric', 'OutputWriter', 'PseudoLabelMetric', 'RefinedLabelMetric',
    'JFAccumulator'
]
