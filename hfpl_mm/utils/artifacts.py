"""Where a stage writes the files that later stages read (its *artifacts*).

The one place that spells the folders: the writer metrics (:class:`~hfpl_mm.evaluation.
OutputWriter`), the resumable test loop and the pipeline (:mod:`hfpl_mm.apis.pipeline`) all
derive them from a stage's work dir and its writer's ``out_dir`` with these functions, so a
config that moves ``out_dir`` moves what the next stage reads with it.

Layout (``out_dir`` defaults to ``<work_dir>/pseudo_labels``)::

    <out_dir>/<artifact>/<image stem><suffix>    e.g. labels/2007_000032.png, cams/....npz
"""
import os.path as osp
from typing import Optional

__all__ = ['DEFAULT_OUT_DIR', 'writer_out_dir', 'artifact_dir', 'artifact_file']

#: Folder of a writer's outputs under the work dir when its ``out_dir`` is not set.
DEFAULT_OUT_DIR = 'pseudo_labels'


def writer_out_dir(work_dir: str, out_dir: Optional[str] = None) -> str:
    """Absolute output folder of a writer: its ``out_dir`` (relative to the current directory,
    as every path of a config) or ``<work_dir>/pseudo_labels``."""
    return osp.abspath(out_dir or osp.join(work_dir, DEFAULT_OUT_DIR))


def artifact_dir(out_dir: str, artifact: str) -> str:
    """Folder of one artifact (``'labels'``, ``'cams'``, ...) of a writer's ``out_dir``."""
    if not artifact or osp.sep in artifact or artifact in ('.', '..'):
        raise ValueError(f'artifact name must be a plain folder name, got {artifact!r}')
    return osp.join(out_dir, artifact)


def artifact_file(out_dir: str, artifact: str, img_path: str, suffix: str) -> str:
    """File of one image in an artifact folder: ``<out_dir>/<artifact>/<stem><suffix>``."""
    stem = osp.splitext(osp.basename(img_path))[0]
    return osp.join(artifact_dir(out_dir, artifact), stem + suffix)
