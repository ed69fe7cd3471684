"""Models: losses, CAM heads, classifiers, backbones, decode heads and the refinement models.

The losses need torch and mmengine alone, so ``hfpl_mm.models.losses`` (and this package) import
on a machine without mmcv / mmseg / mmpretrain; the other subpackages are imported only when that
full OpenMMLab stack is present (``hfpl_mm._FULL_STACK``).
"""
from .. import _FULL_STACK
from .losses import BinomialISL, MaskedFSL

__all__ = ['BinomialISL', 'MaskedFSL']

if _FULL_STACK:
    from .backbones import ResNet38d
    from .classifiers import SEAM, CAMClassifier, PixelCorrelationModule
    from .decode_heads import ASPPV2Module, DeepLabV2Head
    from .heads import CAMHead
    from .refinement import IRN, AffinityNet, ConfidentLabeler, DenseCRF, RandomWalk, WalkRefiner

    __all__ += [
        'ResNet38d', 'CAMClassifier', 'SEAM', 'PixelCorrelationModule', 'ASPPV2Module',
        'DeepLabV2Head', 'CAMHead', 'AffinityNet', 'IRN', 'ConfidentLabeler', 'DenseCRF',
        'RandomWalk', 'WalkRefiner'
    ]
    from .backbones import MCTViT
    from .classifiers import MCTformerV2
    __all__ += ['MCTViT', 'MCTformerV2']
    from .backbones import ScaleNet
    from .classifiers import MultiCropSEAM
    from .refinement import PMMLabeler
    from .segmentors import CRFEncoderDecoder
    __all__ += ['ScaleNet', 'MultiCropSEAM', 'PMMLabeler', 'CRFEncoderDecoder']
    from .classifiers import SpatialBCE
    from .heads import SpatialBCEHead
    from .losses import ForegroundPriorLoss, SpatialBCELoss
    __all__ += ['SpatialBCE', 'SpatialBCEHead', 'SpatialBCELoss', 'ForegroundPriorLoss']
