"""The interface of metrics that write per-image outputs and resume."""
import os.path as osp
from typing import Dict, Optional, Tuple

from hfpl_mm.utils.artifacts import artifact_file

__all__ = ['OutputWriter']


class OutputWriter:
    """Mixin of metrics that write files per image (pseudo-labels, CAMs, ...) under ``out_dir``.

    :class:`~hfpl_mm.engine.runner.ResumableTestLoop` finds the writers among the evaluator's
    metrics by this type, sets a missing ``out_dir`` to the work dir's default
    (:func:`hfpl_mm.utils.artifacts.writer_out_dir`) and skips a batch when every writer
    :meth:`is_done` for each of its samples; the writer then gets the samples without the
    prediction and reads its results back. The pipeline reads the declared ``artifacts`` from
    the same folders.

    Subclasses set ``artifacts`` (artifact name -> file suffix) and may narrow
    :meth:`required_artifacts`.
    """
    #: artifact name -> file suffix of the files this writer writes per image
    artifacts: Dict[str, str] = {}
    out_dir: Optional[str] = None

    def required_artifacts(self) -> Tuple[str, ...]:
        """Artifacts that must exist for an image to count as finished. Defaults to all."""
        return tuple(self.artifacts)

    def paths(self, sample) -> Dict[str, str]:
        """Output file of each artifact of a sample (a data sample or its dict)."""
        if not self.out_dir:
            raise ValueError(f'{type(self).__name__}: out_dir is not set (run it in '
                             'ResumableTestLoop or give out_dir)')
        img_path = sample.get('img_path')
        return {name: artifact_file(self.out_dir, name, img_path, suffix)
                for name, suffix in self.artifacts.items()}

    def is_done(self, sample) -> bool:
        """Whether the sample's outputs are all on disk (a resumed run skips it)."""
        paths = self.paths(sample)
        return all(osp.isfile(paths[name]) for name in self.required_artifacts())
