from .cam_classifier import CAMClassifier
from .seam import SEAM, PixelCorrelationModule

__all__ = ['CAMClassifier']
__all__ += ['SEAM', 'PixelCorrelationModule']
