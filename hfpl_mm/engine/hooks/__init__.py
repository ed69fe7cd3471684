from .cam_visualization_hook import CAMVisualizationHook
from .divergence_hook import DivergenceHook
from .reseed_hook import ReseedHook
from .safe_checkpoint_hook import NonFiniteModelError, SafeCheckpointHook
from .weight_sync_check_hook import WeightSyncCheckHook

__all__ = [
    'CAMVisualizationHook', 'DivergenceHook', 'NonFiniteModelError', 'ReseedHook',
    'SafeCheckpointHook', 'WeightSyncCheckHook'
]
