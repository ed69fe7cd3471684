"""Resumable test loop for CAM pseudo-label generation."""
import os.path as osp
from typing import Sequence

import torch
from mmengine.dist import is_main_process
from mmengine.logging import print_log
from mmengine.registry import LOOPS
from mmengine.runner import TestLoop
from mmengine.utils import ProgressBar


@LOOPS.register_module()
class CAMInferenceLoop(TestLoop):
    """:class:`TestLoop` that skips batches whose outputs a writer metric already has on disk.

    A writer is any metric of the evaluator with an ``is_done(sample)`` method (e.g.
    :class:`PseudoLabelMetric`); it receives the skipped samples without a ``cam`` and reads
    their results back, so an interrupted run resumes to the same result. Works under
    ``tools/dist_test.sh`` (each rank runs its share) and shows a progress bar on rank 0.
    A writer without ``out_dir`` writes to ``<work_dir>/pseudo_labels``.
    """

    def run(self) -> dict:
        self._writers = [m for m in self.evaluator.metrics if hasattr(m, 'is_done')]
        for writer in self._writers:
            if getattr(writer, 'out_dir', '') is None:
                writer.out_dir = osp.join(self.runner.work_dir, 'pseudo_labels')
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
