"""Pair offsets, IRN's paths and affinity labels on hand-made maps with known answers."""
import pytest
import torch

from hfpl_mm.models.refinement import (affinity_labels, downsample_labels, path_offsets,
                                       radius_offsets, shift_pairs)


def test_radius_offsets():
    assert radius_offsets(2) == ((0, 1), (1, -1), (1, 0), (1, 1))
    offsets = radius_offsets(5)
    assert len(offsets) == 34 and len(set(offsets)) == 34  # psa / IRN: 34 pairs per pixel
    assert all(0 < dy * dy + dx * dx < 25 for dy, dx in offsets)
    # one direction per unordered pair: never both d and -d
    assert not {(-dy, -dx) for dy, dx in offsets} & set(offsets)
    with pytest.raises(ValueError):
        radius_offsets(1)


def test_path_offsets():
    assert path_offsets((0, 3)) == ((0, 0), (0, 1), (0, 2), (0, 3))
    # the diagonal: cells at distance 0 or 1/sqrt(2) from it, not the corners (0, 2), (2, 0)
    assert set(path_offsets((2, 2))) == {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2)}
    # a knight's move: (0, 1) and (2, 0) lie 2/sqrt(5) < 1 from the segment (0,0)-(2,1)
    assert set(path_offsets((2, 1))) == {(y, x) for y in range(3) for x in range(2)}
    # (4, 2): the cells with |2x - y| <= 2, i.e. all of the box but its far corners
    box = {(y, x) for y in range(5) for x in range(3)}
    assert set(path_offsets((4, 2))) == box - {(0, 2), (1, 2), (3, 0), (4, 0)}
    assert set(path_offsets((2, -1))) == {(y, -x) for y in range(3) for x in range(2)}


def test_shift_pairs():
    x = torch.arange(6.).view(2, 3)
    out = shift_pairs(x, [(0, 1), (1, -1)], fill=-1)
    assert out.tolist() == [[[1, 2, -1], [4, 5, -1]], [[-1, 3, 4], [-1, -1, -1]]]


def test_affinity_labels_by_hand():
    # 0 background, 2 = class 1, 255 unsure
    labels = torch.tensor([[0, 0, 2], [255, 2, 2]])
    pairs = affinity_labels(labels, radius=2)  # offsets (0,1), (1,-1), (1,0), (1,1)
    assert pairs.bg_pos.int().tolist() == [
        [[1, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]],
        [[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]
    assert pairs.fg_pos.int().tolist() == [
        [[0, 0, 0], [0, 1, 0]], [[0, 0, 1], [0, 0, 0]],
        [[0, 0, 1], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]
    assert pairs.neg.int().tolist() == [
        [[0, 1, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]],
        [[0, 1, 0], [0, 0, 0]], [[1, 1, 0], [0, 0, 0]]]
    # disjoint, and nothing touches the unsure pixel or leaves the map
    total = pairs.bg_pos.int() + pairs.fg_pos.int() + pairs.neg.int()
    assert total.max() == 1 and total.sum() == 8


def test_affinity_labels_two_classes_batch():
    labels = torch.tensor([[[1, 1, 3, 3]], [[0, 0, 0, 0]]])  # (B, 1, 4)
    pairs = affinity_labels(labels, radius=3)  # along the row: offsets (0, 1), (0, 2)
    assert pairs.fg_pos[0, :2, 0].int().tolist() == [[1, 0, 1, 0], [0, 0, 0, 0]]
    assert pairs.neg[0, :2, 0].int().tolist() == [[0, 1, 0, 0], [1, 1, 0, 0]]
    assert pairs.bg_pos[1, :2, 0].int().tolist() == [[1, 1, 1, 0], [1, 1, 0, 0]]
    assert not pairs.neg[1].any()


def test_downsample_labels():
    labels = torch.tensor([[[1, 1, 0, 0], [1, 255, 0, 2], [255, 255, 3, 3], [255, 0, 3, 3]]])
    assert downsample_labels(labels, (2, 2)).tolist() == [[[1, 0], [255, 3]]]  # top-left
    assert downsample_labels(labels, (2, 2), 'majority').tolist() == [[[1, 0], [255, 3]]]
    tie = torch.tensor([[[1, 255], [255, 1]]])
    assert downsample_labels(tie, (1, 1), 'majority').tolist() == [[[1]]]  # ties: confident
    with pytest.raises(ValueError):
        downsample_labels(labels, (2, 2), 'mean')
