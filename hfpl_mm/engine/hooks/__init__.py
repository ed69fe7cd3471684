from .cam_visualization_hook import CAMVisualizationHook
from .weight_sync_check_hook import WeightSyncCheckHook

__all__ = ['CAMVisualizationHook', 'WeightSyncCheckHook']
