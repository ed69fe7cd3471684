"""CAM panels reach local PNG files and TensorBoard through a real validation run."""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import run_tool, tiny_cls_options

CONFIG = 'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


def test_panels_written_locally_and_to_tensorboard(synthetic_root, tmp_path):
    config = tmp_path / 'vis.py'
    config.write_text(
        f"_base_ = '{Path(CONFIG).resolve()}'\n"
        "custom_hooks = [dict(type='CAMVisualizationHook', interval=1)]\n"
        "visualizer = dict(vis_backends=[dict(type='LocalVisBackend'),\n"
        "                                dict(type='TensorboardVisBackend')])\n")
    run_tool('tools/train.py', str(config), '--work-dir', str(tmp_path / 'work'),
             '--cfg-options', *tiny_cls_options(synthetic_root), 'train_cfg.max_epochs=1',
             'train_cfg.val_interval=1')
    panels = sorted((tmp_path / 'work').glob('*/vis_data/vis_image/val_cam_*.png'))
    assert len(panels) == 1  # 8 val images in one batch, one panel per batch
    panel = np.array(Image.open(panels[0]))
    # image | CAM | pseudo-label | ground truth, 64 px each with 4 px gaps
    assert panel.shape == (64, 4 * 64 + 3 * 4, 3)
    assert list((tmp_path / 'work').glob('*/vis_data/events.out.tfevents.*'))


def test_bad_interval():
    from mmengine.registry import HOOKS

    import hfpl_mm  # noqa: F401
    with pytest.raises(ValueError, match='interval'):
        HOOKS.build(dict(type='CAMVisualizationHook', interval=0))
