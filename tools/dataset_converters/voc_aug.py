"""Build VOC-aug (VOC 2012 + SBD) masks, the trainaug list and image-level labels.

Writes ``SegmentationClassAug/``, ``ImageSets/Segmentation/trainaug.txt`` (10,582 ids on the real
data) and ``cls_labels.json`` into the VOC root (or ``--out-dir``). Reruns skip finished masks.

Example::

    python tools/dataset_converters/voc_aug.py --voc-root data/VOCdevkit/VOC2012 \\
        --sbd-root data/benchmark_RELEASE --nproc 8
"""
import argparse
import json

from hfpl_mm.datasets.converters import convert_voc_aug


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description='Convert VOC 2012 + SBD into VOC-aug')
    parser.add_argument('--voc-root', required=True, help='VOCdevkit/VOC2012')
    parser.add_argument('--sbd-root', default=None,
                        help="SBD's benchmark_RELEASE (or its dataset/ folder); optional")
    parser.add_argument('--out-dir', default=None, help='output root (default: --voc-root)')
    parser.add_argument('--nproc', type=int, default=1, help='worker processes')
    return parser.parse_args()


def main() -> None:
    """Run the conversion and print its summary as JSON."""
    args = parse_args()
    summary = convert_voc_aug(args.voc_root, args.sbd_root, args.out_dir, nproc=args.nproc,
                              progress=True)
    print(json.dumps(summary, indent=1))


if __name__ == '__main__':
    main()
