from .hfpl_runner import CheckpointMismatchError, HFPLRunner
from .resumable_test_loop import ResumableTestLoop

__all__ = ['CheckpointMismatchError', 'HFPLRunner', 'ResumableTestLoop']
