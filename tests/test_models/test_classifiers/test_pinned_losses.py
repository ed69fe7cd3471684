"""Every training loss of the synthetic CAM / SEAM classifiers, with and without ISL / FSL, on a
fixed batch: a regression pin for refactors of the training path.

The numbers were recorded once on the pre-refactor implementation (commit 85e2329, where
``SEAM.loss`` still wired ISL / FSL itself) and must not be re-recorded to make a refactor pass:
a refactor of the training path keeps every loss (value, key) and the gradient it produces. They
depend on the four synthetic configs below (architecture, initialisation, loss settings); a
deliberate change of those is the only reason to record them again.
"""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import hfpl_mm  # noqa: F401

CAM = 'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'
HFPL_CAM = 'configs/cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'
SEAM = 'configs/seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
HFPL_SEAM = 'configs/seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'

# config -> ({loss key: value}, sum over parameters of |d total / d parameter|)
PINNED = {
    CAM: (dict(loss_cls=0.7148827910423279), 80.97665468836203),
    HFPL_CAM: (dict(loss_isl=0.7490938901901245, loss_fsl=-0.01775597408413887),
               112.96748968400061),
    SEAM: (dict(loss_cls1=0.29059770703315735, loss_cls2=0.30776849389076233,
                loss_min=0.12522907555103302, loss_er=0.04446925222873688,
                loss_ecr=1.0291814804077148), 3354.7587834596634),
    HFPL_SEAM: (dict(loss_isl=0.31625285744667053, loss_cls2=0.30776849389076233,
                     loss_min=0.12522907555103302, loss_er=0.04446925222873688,
                     loss_ecr=1.0291814804077148, loss_fsl=-0.04360554739832878),
                4767.9397457540035),
}


def _model_and_batch(path):
    """The config's model (seeded initialisation, training mode) and a fixed preprocessed
    batch: two 64 x 64 images from a seeded generator, labels {0, 2} and {5}."""
    init_default_scope('mmpretrain')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(path).model)
    model.init_weights()
    model.train()
    g = torch.Generator().manual_seed(1)
    data = dict(
        inputs=[torch.randint(0, 256, (3, 64, 64), dtype=torch.uint8, generator=g)
                for _ in range(2)],
        data_samples=[DataSample().set_gt_label([0, 2]), DataSample().set_gt_label([5])])
    return model, model.data_preprocessor(data, True)


def _losses_and_grad(path):
    model, data = _model_and_batch(path)
    torch.manual_seed(2)  # dropout (SEAM's fc8) and ISL's sampling draw from here
    losses = model.loss(data['inputs'], data['data_samples'])
    sum(losses.values()).backward()
    grad = sum(float(p.grad.abs().sum()) for p in model.parameters() if p.grad is not None)
    return {k: float(v.detach()) for k, v in losses.items()}, grad


@pytest.mark.parametrize('path', list(PINNED))
def test_losses_are_pinned(path):
    expected, expected_grad = PINNED[path]
    losses, grad = _losses_and_grad(path)
    assert list(losses) == list(expected)
    for key, value in expected.items():
        assert losses[key] == pytest.approx(value, rel=1e-5, abs=1e-7), key
    assert grad == pytest.approx(expected_grad, rel=1e-4)


if __name__ == '__main__':  # print the values to pin (only ever on the reference commit)
    for cfg_path in PINNED:
        print(repr(cfg_path), _losses_and_grad(cfg_path))
