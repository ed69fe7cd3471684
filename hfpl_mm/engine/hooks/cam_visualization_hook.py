"""Image | CAM | pseudo-label | ground-truth panels of classifier predictions."""
import os.path as osp
from typing import Optional, Sequence

import cv2
import mmcv
import numpy as np
from mmengine.hooks import Hook
from mmengine.registry import HOOKS

from hfpl_mm.datasets.class_names import PALETTE_256
from hfpl_mm.utils.io import read_label_png
from hfpl_mm.utils import cams_to_label, normalize_cams


def colorize_label(label: np.ndarray) -> np.ndarray:
    """RGB image of a label map in the VOC palette (255, ignore, in its void colour)."""
    return np.asarray(PALETTE_256, dtype=np.uint8)[label]


def cam_panel(image: np.ndarray, cams: np.ndarray, label: np.ndarray,
              gt: Optional[np.ndarray] = None) -> np.ndarray:
    """Side by side: RGB image, its strongest CAM as a jet overlay, the label, the mask."""
    heat = cv2.applyColorMap((cams.max(axis=0) * 255).astype(np.uint8), cv2.COLORMAP_JET)
    overlay = (0.5 * image + 0.5 * heat[..., ::-1]).astype(np.uint8)
    tiles = [image, overlay, colorize_label(label)]
    if gt is not None:
        tiles.append(colorize_label(gt))
    gap = np.full((image.shape[0], 4, 3), 255, np.uint8)
    return np.concatenate(sum(([t, gap] for t in tiles), [])[:-1], axis=1)


@HOOKS.register_module()
class CAMVisualizationHook(Hook):
    """Save CAM panels of every ``interval``-th validation / test batch.

    Panels go through the runner's visualizer, so to every vis backend it has: PNG files with
    ``LocalVisBackend`` (``<work_dir>/<timestamp>/vis_data/vis_image/``), images in TensorBoard
    with ``TensorboardVisBackend``. Works on predictions that carry a ``cam`` (``CAMHead``,
    ``CAMClassifier`` and derived models).

    Args:
        interval (int): Visualise one in every ``interval`` batches. Defaults to 50.
        bg_thr (float): Background score of the pseudo-label panel. Defaults to 0.15.
        max_per_batch (int): Samples drawn from a visualised batch. Defaults to 1.
    """
    priority = 'LOW'

    def __init__(self, interval: int = 50, bg_thr: float = 0.15, max_per_batch: int = 1):
        if interval < 1 or max_per_batch < 1:
            raise ValueError('CAMVisualizationHook: interval and max_per_batch must be >= 1')
        self.interval = interval
        self.bg_thr = bg_thr
        self.max_per_batch = max_per_batch

    def _draw(self, runner, batch_idx: int, outputs: Sequence, mode: str) -> None:
        if batch_idx % self.interval:
            return
        for sample in outputs[:self.max_per_batch]:
            if 'cam' not in sample:
                continue
            image = mmcv.imread(sample.img_path, channel_order='rgb')
            cams = normalize_cams(sample.cam, sample.gt_label.tolist(), image.shape[:2])
            label = cams_to_label(cams, self.bg_thr).cpu().numpy()
            seg_path = sample.get('seg_map_path')
            gt = read_label_png(seg_path) if seg_path and osp.isfile(seg_path) else None
            panel = cam_panel(image, cams.cpu().numpy(), label, gt)
            stem = osp.splitext(osp.basename(sample.img_path))[0]
            runner.visualizer.add_image(f'{mode}_cam_{stem}', panel, step=runner.iter)

    def after_val_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._draw(runner, batch_idx, outputs, 'val')

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._draw(runner, batch_idx, outputs, 'test')
