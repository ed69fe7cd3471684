import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import hfpl_mm  # noqa: F401

CONFIG = 'configs/cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


def _model():
    init_default_scope('mmpretrain')
    return MODELS.build(Config.fromfile(CONFIG).model)


def test_images_01_undoes_the_preprocessor():
    model = _model()
    rng = np.random.default_rng(0)
    bgr = rng.integers(0, 256, (2, 3, 32, 32), dtype=np.uint8)  # as mmcv loads: BGR, CHW
    data = model.data_preprocessor(
        dict(inputs=list(torch.from_numpy(bgr)),
             data_samples=[DataSample().set_gt_label([0]), DataSample().set_gt_label([1])]))
    rgb01 = model.images_01(data['inputs'])
    expected = torch.from_numpy(bgr[:, ::-1].copy()).float() / 255
    torch.testing.assert_close(rgb01, expected, atol=1e-5, rtol=0)


def test_train_step_logs_every_loss():
    model = _model()
    data = dict(inputs=[torch.randint(0, 256, (3, 48, 48), dtype=torch.uint8) for _ in range(2)],
                data_samples=[DataSample().set_gt_label([0, 2]), DataSample().set_gt_label([5])])
    from mmengine.optim import OptimWrapper
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    log_vars = model.train_step(data, wrapper)
    assert {'loss', 'loss_isl', 'loss_fsl'} <= set(log_vars)
    assert torch.isfinite(log_vars['loss'])
    model.eval()
    out = model.val_step(data)
    assert out[0].cam.shape[0] == 6
