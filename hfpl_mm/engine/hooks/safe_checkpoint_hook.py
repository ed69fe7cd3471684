"""CheckpointHook that never leaves the work dir without a complete, finite checkpoint."""
import math
import os.path as osp

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from hfpl_mm.utils.io import atomic_write_bytes

__all__ = ['SafeCheckpointHook', 'NonFiniteModelError', 'max_abs_weight']


class NonFiniteModelError(FloatingPointError):
    """Training produced non-finite (or exploded) weights; raised instead of saving them."""


def max_abs_weight(model: torch.nn.Module) -> float:
    """Largest absolute value over the floating-point parameters (NaN / inf propagate): one
    device synchronisation."""
    if is_model_wrapper(model):
        model = model.module
    peaks = [p.detach().abs().max() for p in model.parameters()
             if p.is_floating_point() and p.numel()]
    return float(torch.stack(peaks).max()) if peaks else 0.0


def last_good_checkpoint(runner) -> str:
    """The last checkpoint written in this run (or resumed from), for messages."""
    last = runner.message_hub.get_info('last_ckpt') or getattr(runner, 'resumed_from', None)
    return last or 'none saved yet'


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """mmengine's :class:`CheckpointHook` with a safe order (same arguments and files).

    mmengine deletes the outdated checkpoint *before* saving the new one and writes
    ``last_checkpoint`` in place, so a kill while saving can leave (with ``max_keep_ckpts=1``)
    no complete checkpoint, or an empty ``last_checkpoint``. Here the new checkpoint is
    written first (atomically, by :class:`~hfpl_mm.engine.runner.HFPLRunner`), then
    ``last_checkpoint`` (temporary file + rename), and only then is the outdated one deleted.
    A model with non-finite weights is never saved: the periodic save raises
    :class:`NonFiniteModelError` naming the last good checkpoint, and it never becomes "best"
    (nor does a non-finite score). :class:`HFPLRunner` uses it for a plain ``CheckpointHook``.
    """

    def _check_finite(self, runner) -> bool:
        return math.isfinite(max_abs_weight(runner.model))

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        if not self._check_finite(runner):
            raise NonFiniteModelError(
                f'the model has non-finite weights at {"epoch" if self.by_epoch else "iter"} '
                f'{step}: not saved; training diverged. Last good checkpoint: '
                f'{last_good_checkpoint(runner)}')
        outdated = None
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids
                                            and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids', list(self.keep_ckpt_ids))
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir, ckpt_filename, self.file_client_args,
            save_optimizer=self.save_optimizer, save_param_scheduler=self.save_param_scheduler,
            meta=meta, by_epoch=self.by_epoch, backend_args=self.backend_args, **self.args)
        if not is_main_process():
            return
        atomic_write_bytes(osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt.encode())
        if outdated is not None and outdated != step:
            path = self.file_backend.join_path(self.out_dir, self.filename_tmpl.format(outdated))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):  # deepspeed checkpoints are folders
                self.file_backend.rmtree(path)

    def _save_best_checkpoint(self, runner, metrics) -> None:
        if not self.save_best:
            return
        bad = [k for k in self.key_indicators if k != 'auto' and metrics.get(k) is not None
               and not math.isfinite(float(metrics[k]))]
        if bad or not self._check_finite(runner):
            why = f'non-finite score {bad}' if bad else 'non-finite weights'
            runner.logger.warning(f'best checkpoint not updated: {why}')
            return
        super()._save_best_checkpoint(runner, metrics)
