from .functional import JFAccumulator
from .metrics import (BgChannelPseudoLabelMetric, CAMMetric, JFMetric, OutputWriter,
                      PseudoLabelMetric, RefinedLabelMetric)

__all__ = [
    'CAMMetric', 'JFMetric', 'OutputWriter', 'PseudoLabelMetric', 'RefinedLabelMetric',
    'JFAccumulator'
]
__all__ += ['BgChannelPseudoLabelMetric']
