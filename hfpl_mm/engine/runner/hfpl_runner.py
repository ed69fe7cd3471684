"""mmengine's Runner with safe, atomic checkpoints, strict test loading, resume fallback,
reproducible data-loader workers and a work-dir lock (``runner_type = 'HFPLRunner'``)."""
import os
import os.path as osp
import random
import re
from typing import List, Optional, Tuple

import numpy as np
import torch
from mmengine.dist import get_rank, is_main_process
from mmengine.hooks import CheckpointHook
from mmengine.model import is_model_wrapper
from mmengine.registry import FUNCTIONS, RUNNERS
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint, _load_checkpoint_to_model

from hfpl_mm.utils.checkpoint import SAFE_FORM_KEYS, CheckpointReadError, to_safe
from hfpl_mm.utils.lock import WorkDirLock

__all__ = ['HFPLRunner', 'CheckpointMismatchError', 'state_dict_mismatches',
           'reseeded_worker_init_fn']

_CKPT_NAME = re.compile(r'^(?:epoch|iter)_(\d+)\.pth$')


class CheckpointMismatchError(ValueError):
    """A checkpoint loaded for testing does not fit the model of the config."""


def state_dict_mismatches(model: torch.nn.Module, state_dict: dict,
                          revise_keys=((r'^module\.', ''), )) -> Tuple[list, list, list]:
    """``(missing, unexpected, shape mismatches)`` of ``state_dict`` against ``model``, as
    mmengine's ``load_state_dict`` sees them (``revise_keys`` applied, BN's
    ``num_batches_tracked`` not counted missing). Mismatches are ``(key, ckpt, model shape)``."""
    if 'state_dict' in state_dict:
        state_dict = state_dict['state_dict']
    ckpt = {}
    for key, value in state_dict.items():
        for pattern, repl in revise_keys:
            key = re.sub(pattern, repl, key)
        ckpt[key] = value
    own = model.state_dict()
    missing = [k for k in own if k not in ckpt and 'num_batches_tracked' not in k]
    unexpected = [k for k in ckpt if k not in own]
    shapes = [(k, tuple(ckpt[k].shape), tuple(own[k].shape)) for k in own
              if k in ckpt and hasattr(ckpt[k], 'shape') and ckpt[k].shape != own[k].shape]
    return missing, unexpected, shapes


def _mismatch_text(missing, unexpected, shapes, limit: int = 20) -> str:
    def listed(keys):
        more = f' ... and {len(keys) - limit} more' if len(keys) > limit else ''
        return ', '.join(map(str, keys[:limit])) + more
    lines = []
    if missing:
        lines.append(f'  missing in the checkpoint ({len(missing)}): {listed(missing)}')
    if unexpected:
        lines.append(f'  not in the model ({len(unexpected)}): {listed(unexpected)}')
    if shapes:
        lines.append(f'  shape mismatch ({len(shapes)}): ' + listed(
            [f'{k} checkpoint {tuple(c)} vs model {tuple(m)}' for k, c, m in shapes]))
    return '\n'.join(lines)


@FUNCTIONS.register_module()
def reseeded_worker_init_fn(worker_id: int, rank: int = 0) -> None:
    """Seed a data-loader worker from the base seed PyTorch drew for this iterator (from the
    main process's torch generator, which :class:`~hfpl_mm.engine.hooks.ReseedHook` sets from
    the seed and the epoch) and the rank.

    mmengine's default ``worker_init_fn`` seeds every worker from ``seed + worker_id`` only:
    each epoch's new workers repeat the same random augmentations, and persistent workers carry
    their streams across epochs, which a resumed run cannot reproduce.
    """
    base = torch.initial_seed()  # PyTorch's base seed of this iterator + worker_id
    seed = int(np.random.SeedSequence([base % 2**63, rank]).generate_state(1)[0])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@RUNNERS.register_module()
class HFPLRunner(Runner):
    """:class:`mmengine.runner.Runner` made safe against crafted files, crashes and mix-ups.

    The runtime bases select it (``runner_type = 'HFPLRunner'``); every other behaviour is
    mmengine's. Differences:

    * **Safe checkpoints.** ``meta`` and ``message_hub`` are written in the plain form of
      :func:`hfpl_mm.utils.checkpoint.to_safe`, so the ``weights_only`` loader of
      :mod:`hfpl_mm.utils.checkpoint` reads every checkpoint this runner writes.
    * **Atomic writes.** A checkpoint is written to a temporary sibling, flushed to disk and
      renamed (a kill leaves the old files, never a truncated ``epoch_k.pth``); a plain
      ``CheckpointHook`` in ``default_hooks`` becomes :class:`~hfpl_mm.engine.hooks.
      SafeCheckpointHook`, which also writes ``last_checkpoint`` atomically and deletes old
      checkpoints only after the new one is complete.
    * **Resume fallback.** Auto-resume (``resume=True``, no ``load_from``) tries the file
      ``last_checkpoint`` names, then the other ``epoch_*`` / ``iter_*`` checkpoints of the work
      dir, newest first, and says which it skipped and why (empty, dangling, unreadable).
      :attr:`resumed_from` is the file it resumed from (None: a fresh start).
    * **Strict testing.** ``test()`` and ``val()`` load ``load_from`` strictly: a checkpoint of
      another model (missing, unexpected or differently shaped keys, or an empty state dict)
      raises :class:`CheckpointMismatchError` naming them. Training's ``load_from``
      (fine-tuning) keeps mmengine's partial loading and logs the mismatches as one warning.
    * **Reproducible workers.** The training data loader seeds its workers with
      :func:`reseeded_worker_init_fn` (unless the config gives a ``worker_init_fn``), and an
      epoch-based loop's workers are not persistent, so a resumed training draws the
      uninterrupted run's augmentations (with ``ReseedHook``; without it a warning says that a
      resumed run will not reproduce).
    * **Work-dir lock.** The work dir is locked (:class:`~hfpl_mm.utils.lock.WorkDirLock`) from
      construction until ``train()`` / ``val()`` / ``test()`` ends: a second run in the same
      folder stops with a message naming the first.
    """

    def __init__(self, *args, **kwargs) -> None:
        work_dir = kwargs.get('work_dir', args[1] if len(args) > 1 else None)
        self._lock = None
        if work_dir and int(os.environ.get('RANK', '0')) == 0:
            self._lock = WorkDirLock(work_dir, 'an mmengine run').acquire()
        self._strict_load = False
        self.resumed_from: Optional[str] = None
        try:
            super().__init__(*args, **kwargs)
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()

    # --- entry points ------------------------------------------------------------------------

    def train(self):
        try:
            return super().train()
        finally:
            self._release()

    def val(self):
        self._strict_load = True
        try:
            return super().val()
        finally:
            self._release()

    def test(self):
        self._strict_load = True
        try:
            return super().test()
        finally:
            self._release()

    # --- hooks and data ----------------------------------------------------------------------

    def register_default_hooks(self, hooks=None) -> None:
        from hfpl_mm.engine.hooks import SafeCheckpointHook
        hooks = dict(hooks or {})
        ckpt = hooks.get('checkpoint', dict(type='CheckpointHook', interval=1))
        if isinstance(ckpt, dict) and ckpt.get('type') in ('CheckpointHook', CheckpointHook):
            hooks['checkpoint'] = dict(ckpt, type=SafeCheckpointHook)
        super().register_default_hooks(hooks)

    def build_train_loop(self, loop):
        if isinstance(loop, dict) and isinstance(self._train_dataloader, dict):
            epoch_based = (loop.get('type') in (None, 'EpochBasedTrainLoop')
                           and loop.get('by_epoch', True))
            loader = dict(self._train_dataloader)
            if 'worker_init_fn' not in loader and loader.get('num_workers', 0) > 0:
                loader['worker_init_fn'] = dict(type=reseeded_worker_init_fn, rank=get_rank())
                if epoch_based:
                    loader['persistent_workers'] = False
            self._train_dataloader = loader
            if not any(type(h).__name__ == 'ReseedHook' for h in self.hooks):
                self.logger.warning('no ReseedHook among the hooks: a resumed training will not '
                                    'reproduce the uninterrupted run')
        return super().build_train_loop(loop)

    # --- checkpoints -------------------------------------------------------------------------

    def call_hook(self, fn_name: str, **kwargs) -> None:
        super().call_hook(fn_name, **kwargs)
        if fn_name == 'before_save_checkpoint':  # after every hook: the form that is written
            checkpoint = kwargs['checkpoint']
            for key in SAFE_FORM_KEYS:
                if key in checkpoint:
                    checkpoint[key] = to_safe(checkpoint[key])

    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        """mmengine's ``save_checkpoint`` into a temporary file, then fsync and rename."""
        if not is_main_process():
            return
        if '://' in out_dir or kwargs.get('backend_args') or kwargs.get('file_client_args'):
            return super().save_checkpoint(out_dir, filename, *args, **kwargs)  # remote storage
        tmp = f'.{filename}.{os.getpid()}.tmp'
        path, tmp_path = osp.join(out_dir, filename), osp.join(out_dir, tmp)
        try:
            super().save_checkpoint(out_dir, tmp, *args, **kwargs)
            with open(tmp_path, 'rb') as f:
                os.fsync(f.fileno())
            os.replace(tmp_path, path)
        finally:
            if osp.exists(tmp_path):
                os.unlink(tmp_path)

    def load_checkpoint(self, filename: str, map_location='cpu', strict: bool = False,
                        revise_keys=[(r'^module.', '')]):
        """mmengine's ``load_checkpoint``; strict in ``test()`` / ``val()`` with an error that
        names the keys, else the mismatches as one warning block."""
        checkpoint = _load_checkpoint(filename, map_location=map_location)
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        state_dict = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint,
                                                                            dict) else None
        if not isinstance(state_dict, dict):
            raise CheckpointMismatchError(f'{filename}: no state dict in the checkpoint')
        found = state_dict_mismatches(model, state_dict, revise_keys)
        if any(found):
            text = _mismatch_text(*found)
            if strict or self._strict_load:
                raise CheckpointMismatchError(
                    f'checkpoint {filename} does not fit the model of this config (testing '
                    f'loads strictly):\n{text}')
            self.logger.warning(f'load_from {filename}: the checkpoint does not fit the model '
                                f'exactly; these weights keep their initialisation:\n{text}')
        _load_checkpoint_to_model(model, checkpoint, strict=False, logger='silent',
                                  revise_keys=revise_keys)  # mismatches: logged above
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def load_or_resume(self) -> None:
        if self._has_loaded or not (self._resume and self._load_from is None):
            if self._resume and self._load_from is not None and not self._has_loaded:
                self.resumed_from = self._load_from
            return super().load_or_resume()
        candidates, skipped = resume_candidates(self.work_dir)
        for path in candidates:
            try:
                self.resume(path)
            except CheckpointReadError as err:
                skipped.append(f'{path}: {err}')
                continue
            if skipped:
                self.logger.warning('resume: skipped ' + '; '.join(skipped) +
                                    f'; resumed from {path}, the newest checkpoint that loads')
            else:
                self.logger.info(f'Auto resumed from the latest checkpoint {path}.')
            self.resumed_from = path
            self._has_loaded = True
            return
        if skipped:
            self.logger.warning('resume: no checkpoint loads (' + '; '.join(skipped) +
                                '); training starts from scratch')
        else:
            self.logger.info(f'resume: no checkpoint in {self.work_dir}; training starts from '
                             'scratch')
        if self._load_from is not None:
            super().load_or_resume()


def resume_candidates(work_dir: str) -> Tuple[List[str], List[str]]:
    """Checkpoints to try when auto-resuming in ``work_dir``, and why files were skipped.

    First the file ``last_checkpoint`` names (when it exists and is not empty), then the
    ``epoch_<k>.pth`` / ``iter_<k>.pth`` files of the folder, highest ``k`` first.
    """
    candidates, skipped = [], []
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        if not named:
            skipped.append(f'{pointer} is empty')
        elif not osp.isfile(named):
            skipped.append(f'{pointer} names {named}, which does not exist')
        else:
            candidates.append(named)
    found = []
    for name in os.listdir(work_dir) if osp.isdir(work_dir) else []:
        match = _CKPT_NAME.match(name)
        if match:
            found.append((int(match[1]), osp.join(work_dir, name)))
    for _, path in sorted(found, reverse=True):
        if not any(osp.abspath(path) == osp.abspath(c) for c in candidates):
            candidates.append(path)
    return candidates, skipped
