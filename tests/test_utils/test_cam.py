import pytest
import torch

from hfpl_mm.utils import cams_to_label, cams_to_labels, normalize_cams


@pytest.mark.parametrize('thr', [0.0, 0.3, 0.5, 1.0])
def test_label_is_argmax_with_constant_background(thr):
    torch.manual_seed(0)
    cams = torch.rand(5, 17, 23)
    cams[:, 0, 0] = 0.3  # a tie with the background score: background wins
    expected = torch.cat([torch.full_like(cams[:1], thr), cams]).argmax(0)
    assert torch.equal(cams_to_label(cams, thr), expected)


def test_sweep_equals_single_thresholds():
    cams = torch.rand(3, 8, 8)
    sweep = cams_to_labels(cams, [0.1, 0.5, 0.9])
    for label, thr in zip(sweep, [0.1, 0.5, 0.9]):
        assert torch.equal(label, cams_to_label(cams, thr))


def test_normalize_keeps_image_classes_and_max_normalises():
    cam = torch.tensor([[[1., -2.], [3., 0.]], [[5., 5.], [5., 5.]], [[-1., 2.], [0., 4.]]])
    out = normalize_cams(cam, [0, 2], size=(4, 4), eps=0.)
    assert out.shape == (3, 4, 4)
    assert out[1].abs().sum() == 0  # absent class zeroed
    assert out[0].max() == 1 and out[2].max() == 1 and out.min() == 0
