from .cam_classifier import CAMClassifier
from .mctformer import MCTformerV2
from .seam import SEAM, PixelCorrelationModule

__all__ = ['CAMClassifier']
__all__ += ['MCTformerV2']
__all__ += ['SEAM', 'PixelCorrelationModule']
from .spatial_bce import SpatialBCE  # noqa: E402
__all__ += ['SpatialBCE']
from .sipe import SIPE  # noqa: E402
__all__ += ['SIPE']
from .multi_crop_seam import MultiCropSEAM  # noqa: E402
__all__ += ['MultiCropSEAM']
