from .cam_visualization_hook import CAMVisualizationHook
from .reseed_hook import ReseedHook
from .weight_sync_check_hook import WeightSyncCheckHook

__all__ = ['CAMVisualizationHook', 'ReseedHook', 'WeightSyncCheckHook']
