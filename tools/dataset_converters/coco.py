"""Convert COCO instance annotations into the VOC layout the project reads.

Writes ``SegmentationClass/<id>.png`` (80 classes by category id order, 0 background, 255 crowd),
``JPEGImages/<id>.jpg`` (symlinks by default), ``ImageSets/Segmentation/<split>.txt`` and
``cls_labels.json`` under ``--out``. Reruns skip finished masks.

Example::

    python tools/dataset_converters/coco.py --coco-root data/coco --out data/coco2014 --nproc 8
"""
import argparse
import json

from hfpl_mm.datasets.converters import convert_coco


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description='Convert COCO into the VOC layout')
    parser.add_argument('--coco-root', required=True,
                        help='folder with annotations/instances_<split><year>.json and images')
    parser.add_argument('--out', required=True, help='output root')
    parser.add_argument('--splits', nargs='+', default=['train', 'val'], help='COCO splits')
    parser.add_argument('--year', default='2014', help='COCO release year in file names')
    parser.add_argument('--nproc', type=int, default=1, help='worker processes')
    parser.add_argument('--link-images', choices=['symlink', 'copy', 'none'], default='symlink',
                        help='how to place the images under <out>/JPEGImages')
    parser.add_argument('--keep-empty', action='store_true',
                        help='keep images without object annotations (dropped by default)')
    return parser.parse_args()


def main() -> None:
    """Run the conversion and print its summary as JSON."""
    args = parse_args()
    summary = convert_coco(args.coco_root, args.out, args.splits, year=args.year,
                           nproc=args.nproc, link_images=args.link_images,
                           keep_empty=args.keep_empty, progress=True)
    print(json.dumps(summary, indent=1))


if __name__ == '__main__':
    main()
