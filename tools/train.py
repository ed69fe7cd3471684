"""Train a classifier (mmpretrain scope) or segmentor (mmseg scope) from an hfpl_mm config.

Follows mmseg's ``tools/train.py`` with mmpretrain's ``--resume [PATH]`` semantics.
"""
import argparse
import logging
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.config import DictAction  # noqa: E402
from mmengine.logging import print_log  # noqa: E402

from hfpl_mm.apis import (bad_input_errors, build_runner, close_distributed,  # noqa: E402
                          input_error_message, load_config)
from hfpl_mm.utils.checkpoint import allow_unsafe_load  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model of an hfpl_mm config')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from the latest checkpoint in the work_dir (no value), or from PATH')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision training')
    parser.add_argument(
        '--unsafe-load', action='store_true',
        help='load checkpoints with full unpickling (they can run code): only for files you '
        'trust that the default weights-only loading refuses (README, "Checkpoints")')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value (lists as key="[a,b]")')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main():
    args = parse_args()
    if args.unsafe_load:
        allow_unsafe_load()
    try:
        runner = build(args)
        runner.train()
    except bad_input_errors() as err:  # bad input, refused checkpoint, divergence: no trace
        raise SystemExit(input_error_message(err)) from err
    close_distributed()


def build(args):
    """The Runner of the config and command line."""
    cfg = load_config(args.config, args.cfg_options, launcher=args.launcher,
                      work_dir=args.work_dir)
    if args.amp:
        if cfg.optim_wrapper.get('type', 'OptimWrapper') == 'AmpOptimWrapper':
            print_log('AMP training is already enabled in your config.', logger='current',
                      level=logging.WARNING)
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(f'--resume: checkpoint file not found: {args.resume}')
        cfg.resume = True
        cfg.load_from = args.resume
    return build_runner(cfg, args.config)


if __name__ == '__main__':
    main()
