"""Stop a training whose loss is not finite (or explodes), loudly."""
import math
from collections import deque
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS

from .safe_checkpoint_hook import NonFiniteModelError, last_good_checkpoint, max_abs_weight

__all__ = ['DivergenceHook']


@HOOKS.register_module()
class DivergenceHook(Hook):
    """Stop training with :class:`NonFiniteModelError` when it diverges.

    After every training iteration each logged loss (``loss`` and every ``loss_*`` /
    ``*loss*`` item) must be finite, and every ``weight_interval`` iterations the weights must
    be finite and at most ``max_weight`` in absolute value. The message names the loss (or the
    weights), the epoch and iteration and the last good checkpoint, and the run exits non-zero
    before the diverged model is saved or validated (mmengine alone logs ``loss: nan``, goes on,
    and can save the NaN model as "best").

    Args:
        max_loss (float, optional): Also stop when a loss exceeds this. Default None (off).
        explode_factor (float, optional): Also stop when ``loss`` exceeds this factor times
            the mean of its last ``window`` finite values (after ``window`` iterations).
            Default None (off).
        window (int): Iterations of that running mean. Default 50.
        max_weight (float, optional): Largest absolute weight allowed. Default 1e6 (trained
            networks stay far below; a diverged HFPL run reaches 1e22). None: finiteness only.
        weight_interval (int): Check the weights every this many iterations (one device sync;
            0 turns the check off). Default 1.
    """
    priority = 'HIGH'  # before the logger and checkpoint hooks see the iteration

    def __init__(self, max_loss: Optional[float] = None, explode_factor: Optional[float] = None,
                 window: int = 50, max_weight: Optional[float] = 1e6,
                 weight_interval: int = 1) -> None:
        for name, value in (('max_loss', max_loss), ('explode_factor', explode_factor),
                            ('max_weight', max_weight)):
            if value is not None and not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f'DivergenceHook: {name} must be None or a number > 0, got '
                                 f'{value!r}')
        if not isinstance(window, int) or window < 1:
            raise ValueError(f'DivergenceHook: window must be an int >= 1, got {window!r}')
        if not isinstance(weight_interval, int) or weight_interval < 0:
            raise ValueError('DivergenceHook: weight_interval must be an int >= 0, got '
                             f'{weight_interval!r}')
        self.max_loss = max_loss
        self.explode_factor = explode_factor
        self.max_weight = max_weight
        self.weight_interval = weight_interval
        self._history = deque(maxlen=window)

    def _stop(self, runner, what: str) -> None:
        raise NonFiniteModelError(
            f'training diverged: {what} at epoch {runner.epoch + 1}, iteration {runner.iter + 1}; '
            f'stopped before saving it. Last good checkpoint: {last_good_checkpoint(runner)} '
            '(lower the learning rate, or see DivergenceHook in README)')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        losses = {k: v for k, v in (outputs or {}).items() if 'loss' in k}
        values = {}
        for name, value in losses.items():
            value = float(value.detach().float().mean() if isinstance(value, torch.Tensor)
                          else value)
            values[name] = value
            if not math.isfinite(value):
                self._stop(runner, f'{name} is not finite ({value})')
            if self.max_loss is not None and value > self.max_loss:
                self._stop(runner, f'{name} = {value:.4g} exceeds max_loss={self.max_loss}')
        total = values.get('loss')
        if total is not None and self.explode_factor is not None:
            if len(self._history) == self._history.maxlen:
                mean = sum(self._history) / len(self._history)
                if abs(total) > self.explode_factor * max(abs(mean), 1e-12):
                    self._stop(runner, f'loss = {total:.4g} exploded (> {self.explode_factor} x '
                                       f'its running mean {mean:.4g})')
            self._history.append(total)
        if self.weight_interval and (runner.iter + 1) % self.weight_interval == 0:
            peak = max_abs_weight(runner.model)
            if not math.isfinite(peak):
                self._stop(runner, f'the weights are not finite (max |w| = {peak})')
            if self.max_weight is not None and peak > self.max_weight:
                self._stop(runner, f'the weights exploded (max |w| = {peak:.3g} > '
                                   f'max_weight={self.max_weight:g})')
