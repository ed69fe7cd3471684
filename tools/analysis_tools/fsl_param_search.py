"""FSL parameter search of the paper's supplementary section S.1.

For one single-object image per class, a hand-made Gaussian CAM ``s = 2 G - 1`` (eq. 24; G is the
Gaussian with the mean and the per-axis variances of the object's mask) is optimised with the FSL
alone, for every (mu, sigma) of a grid; the foreground (s > 0) is scored against the mask with
J, F and J&F. Writes ``results.json``, ``search.png`` (J&F over the grid) and prints the best pair.
No network is involved.

    python tools/analysis_tools/fsl_param_search.py --data-root data/synthetic \
        --mus 1.5 2.5 3.5 --sigmas 2.5 5 10 --out work_dirs/fsl_search
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import List, Tuple

import cv2
import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from hfpl_mm.utils.io import read_id_list, read_label_png  # noqa: E402
from hfpl_mm.evaluation.functional import JFAccumulator  # noqa: E402
from hfpl_mm.models.losses import MaskedFSL  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='FSL mu / sigma search on Gaussian CAMs')
    parser.add_argument('--data-root', default='data/synthetic')
    parser.add_argument('--split', default='train')
    parser.add_argument('--mus', type=float, nargs='+', default=[1.5, 2.5, 3.5])
    parser.add_argument('--sigmas', type=float, nargs='+', default=[2.5, 5.0, 10.0])
    parser.add_argument('--size', type=int, default=56, help='CAM resolution (SEAM: 56)')
    parser.add_argument('--steps', type=int, default=100)
    parser.add_argument('--lr', type=float, default=0.05)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default='work_dirs/fsl_search')
    return parser.parse_args()


def single_object_images(root: str, split: str, seed: int) -> List[Tuple[str, int]]:
    """One random image per class whose mask holds exactly one object (one component)."""
    ids = read_id_list(osp.join(root, 'ImageSets', 'Segmentation', f'{split}.txt'))
    candidates = {}
    for img_id in ids:
        mask = read_label_png(osp.join(root, 'SegmentationClass', img_id + '.png'))
        classes = [c for c in np.unique(mask) if c not in (0, 255)]
        if len(classes) != 1:
            continue
        count, _ = cv2.connectedComponents((mask == classes[0]).astype(np.uint8))
        if count == 2:  # background + one object
            candidates.setdefault(int(classes[0]), []).append(img_id)
    if not candidates:
        raise SystemExit(f'no single-object images in {root} ({split})')
    rng = np.random.default_rng(seed)
    return [(str(rng.choice(v)), c) for c, v in sorted(candidates.items())]


def load_sample(root: str, img_id: str, size: int):
    """Image (1, 3, size, size) RGB in [0, 1], binary mask (size, size) with 255 kept."""
    image = cv2.imread(osp.join(root, 'JPEGImages', img_id + '.jpg'))[..., ::-1]
    image = cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA)
    mask = read_label_png(osp.join(root, 'SegmentationClass', img_id + '.png'))
    mask = cv2.resize(mask, (size, size), interpolation=cv2.INTER_NEAREST)
    binary = np.where(mask == 255, 255, (mask > 0).astype(np.uint8)).astype(np.uint8)
    img = torch.from_numpy(image.copy()).permute(2, 0, 1)[None].float() / 255
    return img, binary


def gaussian_cam(binary: np.ndarray) -> torch.Tensor:
    """Eq. 24: s = 2 G - 1 with G from the mask's mean and per-axis variances (peak 1)."""
    ys, xs = np.nonzero(binary == 1)
    my, mx = ys.mean(), xs.mean()
    vy, vx = max(ys.var(), 1.0), max(xs.var(), 1.0)
    yy, xx = np.mgrid[:binary.shape[0], :binary.shape[1]]
    g = np.exp(-0.5 * ((yy - my)**2 / vy + (xx - mx)**2 / vx))
    return torch.from_numpy(2 * g - 1).float()[None, None]


def optimise(cam: torch.Tensor, image: torch.Tensor, fsl: MaskedFSL, steps: int,
             lr: float) -> torch.Tensor:
    """Minimise the FSL alone over the CAM logits; return the final logits."""
    cam = cam.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([cam], lr=lr)
    labels = torch.ones(1, 1)
    for _ in range(steps):
        optimizer.zero_grad()
        fsl(cam, image, labels).backward()
        optimizer.step()
    return cam.detach()


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    samples = [(img_id, load_sample(args.data_root, img_id, args.size))
               for img_id, _ in single_object_images(args.data_root, args.split, args.seed)]
    rows = []
    for mu in args.mus:
        for sigma in args.sigmas:
            fsl = MaskedFSL(mu=mu, sigma=sigma)
            acc = JFAccumulator(num_classes=2)
            for _, (image, binary) in samples:
                cam = optimise(gaussian_cam(binary), image, fsl, args.steps, args.lr)
                acc.update((cam[0, 0] > 0).numpy().astype(np.uint8), binary)
            scores = acc.summary()
            rows.append(dict(mu=mu, sigma=sigma, J=scores['J'], F=scores['F'], JF=scores['JF']))
            print(f'mu {mu:<5g} sigma {sigma:<5g} J {scores["J"]:.1f}  F {scores["F"]:.1f}  '
                  f'J&F {scores["JF"]:.1f}', flush=True)
    initial = JFAccumulator(num_classes=2)
    for _, (_, binary) in samples:
        initial.update((gaussian_cam(binary)[0, 0] > 0).numpy().astype(np.uint8), binary)
    best = max(rows, key=lambda r: r['JF'])
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, 'results.json'), 'w') as f:
        json.dump(dict(images=[s[0] for s in samples], initial={
            k: v for k, v in initial.summary().items() if k != 'per_class'}, grid=rows,
            best=best), f, indent=2)
    plot(rows, args.mus, args.sigmas, osp.join(args.out, 'search.png'))
    print(f'best: mu {best["mu"]:g}, sigma {best["sigma"]:g} (J&F {best["JF"]:.1f}); '
          f'initial Gaussian CAMs J&F {initial.summary()["JF"]:.1f}')


def plot(rows, mus, sigmas, path: str) -> None:
    """Heat map of J&F over the (mu, sigma) grid."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    grid = np.array([[r['JF'] for r in rows if r['mu'] == mu] for mu in mus])
    fig, ax = plt.subplots(figsize=(1.2 * len(sigmas) + 2, 0.8 * len(mus) + 1.5), dpi=100)
    im = ax.imshow(grid, cmap='viridis', aspect='auto')
    ax.set_xticks(range(len(sigmas)), [f'{s:g}' for s in sigmas])
    ax.set_yticks(range(len(mus)), [f'{m:g}' for m in mus])
    ax.set_xlabel('sigma')
    ax.set_ylabel('mu')
    for (i, j), v in np.ndenumerate(grid):
        ax.text(j, i, f'{v:.1f}', ha='center', va='center', color='w', fontsize=8)
    fig.colorbar(im, label='J&F (%)')
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


if __name__ == '__main__':
    main()
