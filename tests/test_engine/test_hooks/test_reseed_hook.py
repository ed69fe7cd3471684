"""ReseedHook: the random state at an epoch (iteration) start depends on the seed and the
position only, whatever ran before."""
import random

import numpy as np
import torch

from hfpl_mm.engine.hooks import ReseedHook


def _draw():
    return random.random(), float(np.random.rand()), float(torch.rand(()))


def test_state_depends_on_seed_and_step_only():
    ReseedHook.reseed(0, 3)
    first = _draw()
    torch.rand(100), np.random.rand(7), random.random()  # anything in between
    ReseedHook.reseed(0, 3)
    assert _draw() == first
    ReseedHook.reseed(0, 4)
    other_step = _draw()
    ReseedHook.reseed(1, 3)
    other_seed = _draw()
    assert len({first, other_step, other_seed}) == 3
    assert all(a != b for a, b in zip(first, other_step))
