from .weight_sync_check_hook import WeightSyncCheckHook

__all__ = ['WeightSyncCheckHook']
