from .hooks import CAMVisualizationHook, ReseedHook, WeightSyncCheckHook
from .runner import ResumableTestLoop

__all__ = ['CAMVisualizationHook', 'ReseedHook', 'WeightSyncCheckHook', 'ResumableTestLoop']
