"""Reseed the random generators from the training position, so a resumed run reproduces."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from mmengine.runner import IterBasedTrainLoop


@HOOKS.register_module()
class ReseedHook(Hook):
    """Seed python, numpy and torch from ``(runner.seed, epoch)`` before every training epoch,
    and from ``(runner.seed, iter)`` before every iteration of an iteration-based loop.

    mmengine seeds once, when the Runner is built, and does not checkpoint the generators: a
    run resumed from epoch ``k`` starts epoch ``k + 1`` with the random state of a fresh run,
    not with the one the uninterrupted run had there, so augmentation, dropout and ISL's
    sampling differ and so do the weights. With this hook the state at each epoch (iteration)
    start depends only on the seed and the position, and a resumed run gives the uninterrupted
    run's weights: exactly for epoch-based loops whose data loader is not persistent (or has no
    workers), and for iteration-based loops whose data loader has workers (mmengine advances the
    loader past the trained iterations before the first hook of the resumed iteration runs).
    Data-loader workers keep mmengine's own seeding.
    """
    priority = 'VERY_HIGH'

    @staticmethod
    def reseed(seed: int, step: int) -> None:
        """Seed every generator from ``(seed, step)``."""
        state = np.random.SeedSequence([int(seed) % 2**32, int(step)]).generate_state(1)[0]
        random.seed(int(state))
        np.random.seed(int(state))
        torch.manual_seed(int(state))

    def before_train_epoch(self, runner) -> None:
        self.reseed(runner.seed, runner.epoch)

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        if isinstance(runner.train_loop, IterBasedTrainLoop):
            self.reseed(runner.seed, runner.iter)
