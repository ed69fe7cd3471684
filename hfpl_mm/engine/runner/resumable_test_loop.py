"""Test loop that skips images whose outputs are on disk: label generation that resumes."""
from typing import Sequence

import torch
from mmengine.dist import is_main_process
from mmengine.logging import print_log
from mmengine.registry import LOOPS
from mmengine.runner import TestLoop
from mmengine.utils import ProgressBar

from hfpl_mm.evaluation.metrics import OutputWriter
from hfpl_mm.utils.artifacts import writer_out_dir


@LOOPS.register_module()
class ResumableTestLoop(TestLoop):
    """:class:`TestLoop` that skips batches whose outputs every writer already has on disk.

    The writers are the evaluator's :class:`~hfpl_mm.evaluation.OutputWriter` metrics (CAM
    pseudo-labels, confident labels, random-walk labels). A skipped batch is not run through
    the model: the writers receive its samples without the prediction and read their results
    back, so an interrupted run resumes to the same result. A writer without ``out_dir``
    writes to :func:`~hfpl_mm.utils.artifacts.writer_out_dir` of the work dir. Works under
    ``tools/dist_test.sh`` (each rank runs its share) and shows a progress bar on rank 0.
    """

    def run(self) -> dict:
        self._writers = [m for m in self.evaluator.metrics if isinstance(m, OutputWriter)]
        for writer in self._writers:
            writer.out_dir = writer_out_dir(self.runner.work_dir, writer.out_dir)
        self._bar = ProgressBar(len(self.dataloader)) if is_main_process() else None
        self._skipped = 0
        metrics = super().run()
        if self._skipped:
            print_log(f'{self._skipped} images had finished outputs and were not recomputed',
                      logger='current')
        return metrics

    def _all_done(self, samples: Sequence) -> bool:
        return bool(self._writers) and all(w.is_done(s) for w in self._writers for s in samples)

    @torch.no_grad()
    def run_iter(self, idx, data_batch: dict) -> None:
        samples = data_batch['data_samples']
        if self._all_done(samples):
            self._skipped += len(samples)
            self.runner.call_hook('before_test_iter', batch_idx=idx, data_batch=data_batch)
            self.evaluator.process(data_samples=samples, data_batch=data_batch)
            self.runner.call_hook('after_test_iter', batch_idx=idx, data_batch=data_batch,
                                  outputs=samples)
        else:
            super().run_iter(idx, data_batch)
        if self._bar is not None:
            self._bar.update()
