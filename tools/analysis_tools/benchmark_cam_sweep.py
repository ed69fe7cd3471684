"""Time the scoring of a CAM background-threshold sweep: one pass over the stack of label maps
(``CAMMetric.score_cams``) against the reference, one map at a time with mmseg's
``IoUMetric.intersect_and_union`` for the areas (as the metric scored before), and print the
speed-up.

Each image: a random mask with ``--objects`` rectangles of distinct foreground classes, and
smoothed random CAMs of those classes; both ways must give identical counts (checked). Time =
median over ``--repeat`` rounds of all images, after one untimed round.

    python tools/analysis_tools/benchmark_cam_sweep.py                        # VOC-like
    python tools/analysis_tools/benchmark_cam_sweep.py --size 96 96 --classes 6 \\
        --thresholds 0.05 0.951 0.05                                          # synthetic set
"""
import argparse
import os.path as osp
import statistics
import sys
import time

import cv2
import numpy as np
import torch

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from mmseg.evaluation.metrics import IoUMetric  # noqa: E402

from hfpl_mm.evaluation.functional import boundary_tolerance, disk, seg2bmap  # noqa: E402
from hfpl_mm.evaluation.metrics import CAMMetric  # noqa: E402
from hfpl_mm.utils import cams_to_labels  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size', type=int, nargs=2, default=(375, 500), metavar=('H', 'W'))
    parser.add_argument('--classes', type=int, default=21, help='incl. background')
    parser.add_argument('--thresholds', type=float, nargs=3, default=(0.0, 0.595, 0.01),
                        metavar=('START', 'STOP', 'STEP'),
                        help="np.arange of the sweep (default: the paper's 0.00-0.59)")
    parser.add_argument('--objects', type=int, default=2)
    parser.add_argument('--images', type=int, default=8)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def make_image(rng, size, classes, objects):
    """A mask with ``objects`` rectangles and smoothed random CAMs of their classes."""
    h, w = size
    gt = np.zeros(size, np.uint8)
    labels = rng.choice(np.arange(1, classes), size=min(objects, classes - 1), replace=False)
    for c in labels:
        y, x = rng.integers(0, h // 2), rng.integers(0, w // 2)
        gt[y:y + rng.integers(h // 8, h // 2), x:x + rng.integers(w // 8, w // 2)] = c
    cams = torch.zeros((classes - 1, h, w))
    for c in labels:
        noise = cv2.GaussianBlur(rng.random(size).astype(np.float32), (0, 0), max(h, w) / 20)
        cam = noise + (gt == c)
        cams[c - 1] = torch.from_numpy(cam / cam.max())
    return cams, gt


def mask_match_counts(pred_mask, gt_mask, footprint):
    """The DAVIS ``f_matches`` counts of one pair of binary masks (one ``cv2.dilate`` each)."""
    if not (pred_mask.any() or gt_mask.any()):
        return 0, 0, 0, 0
    pred_bound, gt_bound = seg2bmap(pred_mask), seg2bmap(gt_mask)
    pred_dil = cv2.dilate(pred_bound.astype(np.uint8), footprint).astype(bool)
    gt_dil = cv2.dilate(gt_bound.astype(np.uint8), footprint).astype(bool)
    return ((gt_bound & pred_dil).sum(), (pred_bound & gt_dil).sum(), gt_bound.sum(),
            pred_bound.sum())


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    metric = CAMMetric(bg_thresholds=np.round(np.arange(*args.thresholds), 4))
    metric.dataset_meta = dict(classes=[str(c) for c in range(1, args.classes)])
    images = [make_image(rng, args.size, args.classes, args.objects) for _ in range(args.images)]

    footprint = disk(boundary_tolerance(args.size, metric.bound_th))

    def one_at_a_time(cams, gt):  # the metric before: map by map, class by class
        gt_t = torch.from_numpy(gt.astype(np.int64))
        gt_bg = np.where(gt == metric.ignore_index, 0, gt)  # void as background
        areas, counts = [], []
        for label in cams_to_labels(cams, metric.bg_thresholds):
            areas.append(torch.stack(IoUMetric.intersect_and_union(
                label, gt_t, metric.num_classes, metric.ignore_index)).numpy().astype(np.int64))
            label = label.numpy()
            counts.append([mask_match_counts(label == c, gt_bg == c, footprint)
                           for c in range(1, metric.num_classes)])
        return np.stack(areas), np.array(counts, dtype=np.int64)

    ways = dict(reference=one_at_a_time, stacked=metric.score_cams)
    for cams, gt in images:  # identical counts, and an untimed round
        (ref_areas, ref_counts), (areas, counts) = (way(cams, gt) for way in ways.values())
        if not (np.array_equal(ref_areas, areas) and np.array_equal(ref_counts, counts)):
            raise SystemExit('benchmark_cam_sweep: the stacked scoring differs from the '
                             'reference')
    times = {name: [] for name in ways}
    for _ in range(args.repeat):
        for name, way in ways.items():  # alternate, so drift of the machine falls on both
            start = time.perf_counter()
            for cams, gt in images:
                way(cams, gt)
            times[name].append((time.perf_counter() - start) / len(images))
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f'{len(metric.bg_thresholds)} thresholds, {args.size[0]}x{args.size[1]}, '
          f'{args.classes} classes, torch threads {torch.get_num_threads()}: identical counts')
    for name, t in median.items():
        print(f'{name:>10}: {1000 * t:8.1f} ms per image')
    print(f'speed-up (reference / stacked): {median["reference"] / median["stacked"]:.2f}x')
    return median


if __name__ == '__main__':
    main()
