"""ISL / FSL losses of "High-fidelity Pseudo-labels for Boosting Weakly-Supervised Segmentation"
(WACV 2024). Imports torch (and, optionally, mmengine for registration) only."""
from .binomial_isl import BinomialISL, binomial_isl, importance_sampling_loss
from .foreground_prior_loss import ForegroundPriorLoss
from .masked_fsl import MaskedFSL, fsl_gate, fsl_pairwise_sum, masked_fsl
from .puf_loss import PUFCrossEntropyLoss, puf_cross_entropy
from .spatial_bce_loss import SpatialBCELoss, rank_thresholds, spatial_bce_phi
from .utils import max_norm, minmax_norm

__all__ = [
    'BinomialISL', 'MaskedFSL', 'binomial_isl', 'importance_sampling_loss', 'masked_fsl',
    'fsl_pairwise_sum', 'fsl_gate', 'max_norm', 'minmax_norm', 'SpatialBCELoss',
    'ForegroundPriorLoss', 'spatial_bce_phi', 'rank_thresholds'
]
__all__ += ['PUFCrossEntropyLoss', 'puf_cross_entropy']
