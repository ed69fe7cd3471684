"""The random walk on small hand-made affinity grids with known answers."""
import numpy as np
import pytest
import torch

from hfpl_mm.models.refinement import (RandomWalk, affinity_matrix, edge_to_affinity, propagate,
                                       radius_offsets, scores_to_label, transition_matrix)


def test_affinity_and_transition_matrix():
    offsets = radius_offsets(2)
    aff = torch.zeros(len(offsets), 1, 3)
    aff[0, 0] = torch.tensor([0.5, 0.2, 0.9])  # (0, 1) pairs; the last one leaves the grid
    matrix = affinity_matrix(aff, offsets)
    np.testing.assert_allclose(matrix, [[1, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 1]], rtol=1e-6)
    sparse = affinity_matrix(aff, offsets, sparse=True)
    assert torch.equal(sparse.to_dense(), matrix)
    trans = transition_matrix(matrix, beta=2)
    expected = torch.tensor([[1, .25, 0], [.25, 1, .04], [0, .04, 1]])
    assert torch.allclose(trans, expected / expected.sum(0), atol=1e-6)
    assert torch.allclose(transition_matrix(sparse, beta=2).to_dense(), trans)


def test_two_nodes_closed_form():
    # A = [[1, a], [a, 1]] -> T = A / (1 + a), eigenvalues 1 and l = (1 - a) / (1 + a):
    # [1, 0] T^t = [(1 + l^t) / 2, (1 - l^t) / 2]
    a, logt = 0.6, 3
    aff = torch.zeros(len(radius_offsets(2)), 1, 2)
    aff[0, 0, 0] = a
    out = propagate(torch.tensor([[[1., 0.]]]), aff, radius_offsets(2), beta=1, logt=logt)
    lam = ((1 - a) / (1 + a))**(2**logt)
    assert out[0, 0].tolist() == pytest.approx([(1 + lam) / 2, (1 - lam) / 2], abs=1e-6)


def _chain(n, cut, a=1.):
    """Affinities of a 1 x n chain: a between neighbours, 0 across the cut (cut, cut + 1)."""
    offsets = radius_offsets(2)
    aff = torch.zeros(len(offsets), 1, n)
    aff[0, 0, :n - 1] = a
    aff[0, 0, cut] = 0
    return aff


def test_walk_stops_at_a_boundary():
    aff = _chain(6, cut=2)
    seeds = torch.zeros(2, 1, 6)
    seeds[0, 0, 0] = 1  # class A seeded at node 0
    seeds[1, 0, 5] = 1  # class B seeded at node 5
    out = propagate(seeds, aff, radius_offsets(2), beta=1, logt=6)
    assert (out[0, 0, 3:] == 0).all() and (out[1, 0, :3] == 0).all()
    # within a side the walk converges to a constant: the seeds averaged with the weights of
    # T's stationary vector, proportional to the column sums of A (2, 3, 2) -> 2 / 7 here
    assert out[0, 0, :3].tolist() == pytest.approx([2 / 7] * 3, abs=1e-3)
    assert out[1, 0, 3:].tolist() == pytest.approx([2 / 7] * 3, abs=1e-3)


def test_dense_and_sparse_walks_agree():
    torch.manual_seed(0)
    offsets = radius_offsets(3)
    aff = torch.rand(len(offsets), 7, 9)
    seeds = torch.rand(3, 7, 9)
    dense = propagate(seeds, aff, offsets, beta=4, logt=4, dense_max_nodes=10_000)
    sparse = propagate(seeds, aff, offsets, beta=4, logt=4, dense_max_nodes=0)
    assert torch.allclose(dense, sparse, atol=1e-5)
    with pytest.raises(ValueError, match='offsets'):
        propagate(seeds, aff[:3], offsets, beta=4, logt=4)


def test_edge_to_affinity():
    edge = torch.zeros(1, 3, 4)
    edge[0, :, 2] = 1.  # a vertical boundary in column 2
    offsets = radius_offsets(2)  # (0, 1), (1, -1), (1, 0), (1, 1)
    aff = edge_to_affinity(edge, offsets)[0]
    assert aff[0].tolist() == [[1, 0, 0, 0]] * 3  # across or onto the boundary: 0; off the map: 0
    assert aff[2].tolist() == [[1, 1, 0, 1]] * 2 + [[0, 0, 0, 0]]  # (1, 0): down the columns
    edge = torch.full((1, 1, 3), 0.25)
    edge[0, 0, 1] = 0.75
    aff = edge_to_affinity(edge, radius_offsets(3))[0]  # offset (0, 2) passes over the centre
    assert aff[1, 0, 0].item() == pytest.approx(0.25)


def test_random_walk_threshold_background():
    # IRN: classes walk alone, the result is divided by its maximum, constant background 0.25
    walk = RandomWalk(beta=1, logt=4, radius=2, bg='threshold', bg_thr=0.25)
    aff = _chain(4, cut=1)
    cams = torch.zeros(1, 2, 8)  # one class, stride 2 -> a 1 x 4 grid
    cams[0, :, :2] = 1.  # seeded in the first grid cell
    scores = walk(cams, aff, stride=2)
    assert scores.shape == (2, 2, 8)
    label = scores_to_label(scores, [4])
    # class 4 -> label 5, spread over its region (grid cells 0-1 = pixels 0-3); pixel 4 is
    # upsampled to a quarter of the maximum, which ties with the background and loses
    assert label[0].tolist() == [5] * 4 + [0] * 4
    assert scores_to_label(walk(cams[:0], aff, stride=2), []).eq(0).all()  # no class


def test_random_walk_power_background():
    # psa: a background seed (1 - max)^alpha walks with the classes
    walk = RandomWalk(beta=1, logt=4, radius=2, bg='power', bg_alpha=2)
    aff = _chain(4, cut=1)
    cams = torch.zeros(1, 1, 4)
    cams[0, 0, :2] = 0.9  # background seed (1 - 0.9)^2 = 0.01 there, 1 elsewhere
    label = scores_to_label(walk(cams, aff, stride=1), [0])
    assert label[0].tolist() == [1, 1, 0, 0]
    with pytest.raises(ValueError, match='cover'):
        walk(torch.zeros(1, 1, 9), aff, stride=2)
    with pytest.raises(ValueError):
        RandomWalk(bg='median')


def test_background_channel_walk_follows_sipe():
    """bg='channel' (chenqi1126/SIPE make_seg_labels.py): the IS-CAM with its background as
    channel 0, bilinearly resized to the grid, raised to 1.5, weighted by the seed weight
    (1 - edge), walked, x4 bilinear up, cropped, divided by the global max."""
    torch.manual_seed(1)
    stride, (height, width) = 4, (13, 18)
    h, w = -(-height // stride), -(-width // stride)  # the edge grid covering the image
    offsets = radius_offsets(5)
    affinity = torch.rand(len(offsets), h, w)
    seed_weight = torch.rand(h, w)
    cams = torch.rand(3, height, width)  # background + two classes
    walk = RandomWalk(beta=10, logt=3, radius=5, bg='channel', seed_resize='bilinear',
                      seed_power=1.5)
    out = walk(cams, affinity, stride, seed_weight)
    seeds = torch.nn.functional.interpolate(cams[None], (h, w), mode='bilinear',
                                            align_corners=False)[0].pow(1.5) * seed_weight
    rw = propagate(seeds, affinity, offsets, beta=10, logt=3)
    rw_up = torch.nn.functional.interpolate(rw[None], scale_factor=4, mode='bilinear',
                                            align_corners=False)[0, :, :height, :width]
    torch.testing.assert_close(out, rw_up / rw_up.max())
    labels = scores_to_label(out, [1, 4])
    assert set(labels.unique().tolist()) <= {0, 2, 5}
    # only the background: all background
    assert walk(cams[:1], affinity, stride, seed_weight).shape == (1, height, width)
    with pytest.raises(ValueError, match='seed_resize'):
        RandomWalk(seed_resize='nearest')
