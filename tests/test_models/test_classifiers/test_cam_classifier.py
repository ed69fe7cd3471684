import numpy as np
import torch
import torch.nn.functional as F
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


def test_multi_scale_cam_sums_scales_and_flips():
    """IRN's make_cam: per scale and flip ReLU(s) (mirrored passes flipped back), resized to
    the image and summed; the sum is mirror-symmetric in the input."""
    model = _model().eval()
    model.cam_cfg = dict(scales=(1.0, 0.5), flip=True)
    inputs = torch.randn(2, 3, 40, 40)
    expected = 0.
    with torch.no_grad():
        for scale in (1.0, 0.5):
            for mirror in (False, True):
                x = F.interpolate(inputs, scale_factor=scale, mode='bilinear',
                                  align_corners=False) if scale != 1 else inputs
                x = x.flip(-1) if mirror else x
                cam = F.relu(model.head.forward_cam(model.extract_feat(x)))
                cam = F.interpolate(cam.flip(-1) if mirror else cam, size=(40, 40),
                                    mode='bilinear', align_corners=False)
                expected = expected + cam
        cams = model.multi_scale_cam(inputs)
        torch.testing.assert_close(cams, expected)
        torch.testing.assert_close(model.multi_scale_cam(inputs.flip(-1)), cams.flip(-1))


def test_loss_is_forward_train_with_the_heads_hfpl():
    """The template: the plain CAM's map ``cam`` and ``loss_cls``; ISL takes its place and FSL
    is added by the head."""
    model = _model()
    data = model.data_preprocessor(
        dict(inputs=[torch.randint(0, 256, (3, 48, 48), dtype=torch.uint8) for _ in range(2)],
             data_samples=[DataSample().set_gt_label([0, 2]), DataSample().set_gt_label([5])]),
        True)
    cams, losses = model.forward_train(data['inputs'], data['data_samples'])
    assert list(cams) == ['cam'] and cams['cam'].shape == (2, 6, 6, 6)
    assert list(losses) == ['loss_cls']
    assert list(model.loss(data['inputs'], data['data_samples'])) == ['loss_isl', 'loss_fsl']
