"""Generate the embedded synthetic WSSS data set in the PASCAL VOC layout.

Example::

    python tools/dataset_converters/synthetic.py --out data/synthetic
"""
import argparse
import json

from hfpl_mm.datasets.synthetic import ensure_synthetic_voc, generate_synthetic_voc


def parse_args() -> argparse.Namespace:
    """Command-line options; the defaults are those of the project's default data."""
    parser = argparse.ArgumentParser(description='Generate the synthetic VOC-style data set')
    parser.add_argument('--out', default='data/synthetic', help='output root')
    parser.add_argument('--num-train', type=int, default=400, help='training images')
    parser.add_argument('--num-val', type=int, default=100, help='validation images')
    parser.add_argument('--size', type=int, nargs='+', default=[96],
                        help='image side, or height width')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--num-classes', type=int, default=6, help='foreground classes (2-8)')
    parser.add_argument('--void-width', type=int, default=1,
                        help='half-width of the 255 band at object borders (0: none)')
    parser.add_argument('--force', action='store_true',
                        help='regenerate even if an identical set is already there')
    return parser.parse_args()


def main() -> None:
    """Generate (or verify) the set and print its summary as JSON."""
    args = parse_args()
    size = args.size[0] if len(args.size) == 1 else tuple(args.size)
    kwargs = dict(num_train=args.num_train, num_val=args.num_val, image_size=size,
                  seed=args.seed, num_classes=args.num_classes, void_width=args.void_width)
    if args.force:
        summary = dict(generate_synthetic_voc(args.out, **kwargs), generated=True)
    else:
        summary = ensure_synthetic_voc(args.out, **kwargs)
    print(json.dumps(summary, indent=1))


if __name__ == '__main__':
    main()
