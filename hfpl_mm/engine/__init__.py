from .hooks import (CAMVisualizationHook, DivergenceHook, NonFiniteModelError, ReseedHook,
                    SafeCheckpointHook, WeightSyncCheckHook)
from .runner import CheckpointMismatchError, HFPLRunner, ResumableTestLoop

__all__ = [
    'CAMVisualizationHook', 'DivergenceHook', 'NonFiniteModelError', 'ReseedHook',
    'SafeCheckpointHook', 'WeightSyncCheckHook', 'CheckpointMismatchError', 'HFPLRunner',
    'ResumableTestLoop'
]
