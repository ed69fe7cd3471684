"""A hook that SIGKILLs its own process once, at a chosen training or test iteration: the
kill-and-resume test's way of stopping a pipeline in the middle of a given stage."""
import os
import os.path as osp
import signal
from typing import Optional

from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class KillOnceHook(Hook):
    """SIGKILL the process after training iteration ``train_iter`` (1-based, counted over the
    whole run) or test batch ``test_iter`` (1-based), unless ``marker`` exists; the marker is
    written first, so the re-run goes past the same point."""

    def __init__(self, marker: str, train_iter: Optional[int] = None,
                 test_iter: Optional[int] = None) -> None:
        self.marker = marker
        self.train_iter = train_iter
        self.test_iter = test_iter

    def _kill(self) -> None:
        if osp.exists(self.marker):
            return
        with open(self.marker, 'w') as f:
            f.write('killed\n')
        os.kill(os.getpid(), signal.SIGKILL)

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if self.train_iter is not None and runner.iter + 1 == self.train_iter:
            self._kill()

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if self.test_iter is not None and batch_idx + 1 == self.test_iter:
            self._kill()
