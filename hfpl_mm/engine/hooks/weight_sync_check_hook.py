"""Check that data-parallel ranks hold identical weights."""
import os
import os.path as osp
from typing import Optional

import torch
from mmengine.dist import all_gather, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS


@HOOKS.register_module()
class WeightSyncCheckHook(Hook):
    """After training, compare a checksum of every parameter and buffer across ranks.

    DDP keeps parameters in sync, but buffers (batch-norm statistics), custom reductions or
    rank-dependent code can silently diverge; mmengine saves rank 0's weights only, so nothing
    else would notice. Raises ``RuntimeError`` naming the ranks that differ.

    Args:
        save_dir (str, optional): Also write each rank's state dict to
            ``save_dir/rank{r}_weights.pth`` for inspection. Defaults to None.
    """
    priority = 'VERY_LOW'

    def __init__(self, save_dir: Optional[str] = None) -> None:
        self.save_dir = save_dir

    def after_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        checksum = torch.tensor(
            [float(v.double().sum()) if v.is_floating_point() else float(v.sum())
             for v in state.values()], dtype=torch.float64)
        if self.save_dir:
            os.makedirs(self.save_dir, exist_ok=True)
            path = osp.join(self.save_dir, f'rank{get_rank()}_weights.pth')
            torch.save(state, path + '.tmp')
            os.replace(path + '.tmp', path)
        sums = all_gather(checksum.to(next(model.parameters()).device))
        differ = [r for r, s in enumerate(sums) if not torch.equal(s.cpu(), sums[0].cpu())]
        if differ:
            raise RuntimeError(f'weights of ranks {differ} differ from rank 0 after training')
        runner.logger.info(f'weights identical on all {get_world_size()} ranks '
                           f'(checksum {float(checksum.sum()):.6f})')
