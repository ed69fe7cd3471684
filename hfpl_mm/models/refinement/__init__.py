"""Pseudo-label refinement: confident labels (dense CRF), AffinityNet and IRN, random walk.

Models and the CAM loader are registered in the ``mmseg`` scope (the refinement stages read
images with label maps, which mmseg's transforms keep aligned); the label writer is a root
metric (:class:`~hfpl_mm.evaluation.RefinedLabelMetric`).
"""
from .affinity_labels import (AffinityLabels, affinity_labels, downsample_labels, path_offsets,
                              radius_offsets, shift_pairs)
from .affinity_net import AffinityNet, feature_affinity
from .confident_labels import ConfidentLabeler, combine_irn, combine_psa, confident_labels
from .crf import IRN_CRF, SEAM_CRF, DenseCRF, crf_prob_scores
from .irn import IRN, edge_to_affinity
from .pmm_labels import PMMLabeler, crf_regions, ppmg
from .random_walk import RandomWalk, affinity_matrix, propagate, scores_to_label, transition_matrix
from .walk_refiner import WalkRefiner

__all__ = [
    'AffinityLabels', 'affinity_labels', 'downsample_labels', 'path_offsets', 'radius_offsets',
    'shift_pairs', 'AffinityNet', 'feature_affinity', 'ConfidentLabeler', 'combine_irn',
    'combine_psa', 'confident_labels', 'IRN_CRF', 'SEAM_CRF', 'DenseCRF', 'crf_prob_scores',
    'IRN', 'edge_to_affinity', 'RandomWalk', 'affinity_matrix', 'propagate', 'scores_to_label',
    'transition_matrix', 'WalkRefiner'
]
__all__ += ['PMMLabeler', 'crf_regions', 'ppmg']
