"""Converters of public WSSS data sets into the one PASCAL VOC layout that the project reads.

Every data set (VOC + SBD, COCO, the embedded synthetic one) ends up as::

    <root>/JPEGImages/<id>.jpg
    <root>/<mask dir>/<id>.png                palette PNG: 0 background, 1..C classes, 255 void
    <root>/ImageSets/Segmentation/<split>.txt one id per line
    <root>/cls_labels.json                    {id: [0-based foreground classes present]}

so one dataset class and one config per data set suffice. The shared pieces (label extraction,
the parallel mask loop, the split/label writer) live here; the VOC and COCO paths only say where
each mask comes from. Files are read and written with :mod:`hfpl_mm.utils.io`. Only numpy is
imported at module level besides it: scipy (SBD ``.mat`` files) and pycocotools (COCO
polygons/RLE) are imported where they are needed.

Every output is written atomically, so an interrupted run never leaves a truncated file, and a
rerun skips the masks that already exist (resume).
"""
import json
import os
import shutil
import sys
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import (Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional,
                    Sequence, Tuple)

import numpy as np

from hfpl_mm.utils.io import (PathLike, dump_json, read_id_list, read_label_png, require_path,
                              save_palette_png, write_id_list)
from .class_names import COCO_CLASSES, IGNORE_INDEX, VOC_CLASSES, VOC_PALETTE

__all__ = [
    'labels_from_mask', 'MaskTask', 'parallel_map', 'materialise_masks', 'write_split_files',
    'load_sbd_mask', 'voc_aug_ids', 'convert_voc_aug', 'coco_segmentation_to_mask',
    'rasterize_coco_instances', 'convert_coco'
]

SEG_SETS = Path('ImageSets') / 'Segmentation'


# --------------------------------------------------------------------------------------------------
# Labels and the shared conversion loop
# --------------------------------------------------------------------------------------------------
def labels_from_mask(mask: np.ndarray, num_classes: Optional[int] = None) -> List[int]:
    """Image-level labels of a mask: the 0-based foreground classes present.

    Background (0) and void (255) are not classes. With ``num_classes`` any other value above it
    is rejected, since it means the mask does not belong to this data set.
    """
    present = np.unique(np.asarray(mask))
    labels = [int(v) - 1 for v in present if 0 < v < IGNORE_INDEX]
    if num_classes is not None and labels and labels[-1] >= num_classes:
        raise ValueError(f'label value {labels[-1] + 1} outside 1..{num_classes}')
    return labels


class MaskTask(NamedTuple):
    """One mask to materialise: where it goes and how to build it if it is not there yet.

    ``source`` names the input in error messages; ``extra_labels`` are image-level labels the mask
    cannot show (COCO crowds, which are void).
    """
    img_id: str
    dst: str
    build: Callable[[], np.ndarray]
    num_classes: int
    source: str
    extra_labels: Tuple[int, ...] = ()


def _run_mask_task(task: MaskTask) -> Tuple[str, List[int]]:
    """Build and save one mask (or reuse a finished one) and return its image-level labels."""
    dst = Path(task.dst)
    built = not dst.exists()
    mask = task.build() if built else read_label_png(dst)
    try:
        labels = labels_from_mask(mask, task.num_classes)
    except ValueError as err:
        raise ValueError(f'{task.source if built else dst}: {err}') from None
    if built:
        save_palette_png(dst, mask)
    return task.img_id, sorted(set(labels) | set(task.extra_labels))


def parallel_map(func: Callable, items: Sequence, nproc: int = 1, progress: bool = False) -> list:
    """``[func(x) for x in items]`` over ``nproc`` worker processes (in order; inline for 1)."""
    results = []
    if nproc <= 1 or len(items) <= 1:
        iterator = map(func, items)
        pool = None
    else:
        # spawn, not fork: forking a process whose torch / OpenMP threads are running can
        # deadlock the children (seen when the converters run inside a larger program)
        pool = get_context('spawn').Pool(min(nproc, len(items)))
        iterator = pool.imap(func, items, chunksize=max(1, min(64, len(items) // (8 * nproc))))
    try:
        for n, res in enumerate(iterator, 1):
            results.append(res)
            if progress and (n % 1000 == 0 or n == len(items)):
                print(f'\r{n}/{len(items)}', end='\n' if n == len(items) else '',
                      file=sys.stderr, flush=True)
    except BaseException:
        if pool is not None:
            pool.terminate()  # a failed item fails the run: do not wait for the rest
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return results


def materialise_masks(tasks: Sequence[MaskTask], nproc: int = 1,
                      progress: bool = False) -> Dict[str, List[int]]:
    """Write every missing mask of ``tasks`` and return ``{id: labels}`` for all of them."""
    return dict(parallel_map(_run_mask_task, tasks, nproc, progress))


def write_split_files(root: PathLike, splits: Mapping[str, Sequence[str]],
                      labels: Mapping[str, Sequence[int]]) -> None:
    """Write ``ImageSets/Segmentation/<split>.txt`` and merge ``labels`` into ``cls_labels.json``.

    Entries already in ``cls_labels.json`` for other ids are kept, so splits converted in separate
    runs share one file.
    """
    root = Path(root)
    for split, ids in splits.items():
        write_id_list(root / SEG_SETS / f'{split}.txt', ids)
    label_file = root / 'cls_labels.json'
    merged: Dict[str, List[int]] = {}
    if label_file.exists():
        try:
            merged = json.loads(label_file.read_text())
        except ValueError as err:
            raise ValueError(f'cannot parse {label_file}: {err}') from err
    merged.update({k: [int(c) for c in v] for k, v in labels.items()})
    dump_json(label_file, merged)


# --------------------------------------------------------------------------------------------------
# PASCAL VOC 2012 + SBD ("VOC aug")
# --------------------------------------------------------------------------------------------------
def load_sbd_mask(path: PathLike) -> np.ndarray:
    """Read the class mask ``GTcls.Segmentation`` of one SBD ``cls/<id>.mat`` file."""
    from scipy.io import loadmat

    path = require_path(path, 'SBD annotation')
    try:
        data = loadmat(str(path), squeeze_me=True, struct_as_record=False)
    except Exception as err:  # scipy raises several types for damaged files
        raise ValueError(f'cannot read SBD annotation {path}: {err}') from err
    try:
        seg = data['GTcls'].Segmentation
    except (KeyError, AttributeError):
        raise ValueError(f'{path} has no GTcls.Segmentation (not an SBD cls/*.mat file)') from None
    seg = np.asarray(seg)
    if seg.ndim != 2:
        raise ValueError(f'{path}: GTcls.Segmentation has shape {seg.shape}, expected 2-D')
    return seg.astype(np.uint8)


def voc_aug_ids(voc_train: Iterable[str], voc_val: Iterable[str], sbd_train: Iterable[str] = (),
                sbd_val: Iterable[str] = ()) -> List[str]:
    """The ``trainaug`` ids: SBD train+val and VOC train, minus VOC val (10,582 on the real data).

    Returned sorted, so that the list does not depend on set ordering.
    """
    return sorted((set(sbd_train) | set(sbd_val) | set(voc_train)) - set(voc_val))


def _sbd_dataset_dir(sbd_root: PathLike) -> Path:
    """Accept either ``benchmark_RELEASE`` or its ``dataset`` folder as the SBD root."""
    root = require_path(sbd_root, 'SBD root')
    if (root / 'cls').is_dir():
        return root
    return require_path(root / 'dataset' / 'cls', 'SBD cls folder').parent


def convert_voc_aug(voc_root: PathLike,
                    sbd_root: Optional[PathLike] = None,
                    out_dir: Optional[PathLike] = None,
                    nproc: int = 1,
                    progress: bool = False) -> Dict[str, Any]:
    """Build the VOC-aug masks, split list and image-level labels.

    Writes, under ``out_dir`` (default ``voc_root``):
    ``SegmentationClassAug/<id>.png`` for every id of trainaug/train/val, taken from VOC's
    ``SegmentationClass`` where it exists (finer, with the void border band) and from SBD's
    ``cls/<id>.mat`` otherwise; ``ImageSets/Segmentation/{trainaug,train,val}.txt``; and
    ``cls_labels.json`` with the classes present in each mask.

    Args:
        voc_root: ``VOCdevkit/VOC2012``.
        sbd_root: SBD's ``benchmark_RELEASE`` (or its ``dataset`` folder); without it trainaug is
            VOC train alone.
        out_dir: Where to write; images stay in ``voc_root/JPEGImages``.
        nproc: Worker processes.
        progress: Print a counter to stderr.

    Returns:
        Summary: number of ids per split, masks taken from each source, masks written.
    """
    voc_root = require_path(voc_root, 'VOC root')
    out_dir = Path(out_dir) if out_dir is not None else voc_root
    voc_train = read_id_list(voc_root / SEG_SETS / 'train.txt')
    voc_val = read_id_list(voc_root / SEG_SETS / 'val.txt')
    sbd_train: List[str] = []
    sbd_val: List[str] = []
    sbd_cls = None
    if sbd_root is not None:
        sbd_dir = _sbd_dataset_dir(sbd_root)
        sbd_cls = sbd_dir / 'cls'
        sbd_train = read_id_list(sbd_dir / 'train.txt')
        sbd_val = read_id_list(sbd_dir / 'val.txt')
    splits = {'trainaug': voc_aug_ids(voc_train, voc_val, sbd_train, sbd_val),
              'train': voc_train, 'val': voc_val}

    voc_masks = voc_root / 'SegmentationClass'
    mask_dir = out_dir / 'SegmentationClassAug'
    tasks, sources = [], {'voc': 0, 'sbd': 0}
    for img_id in sorted(set().union(*splits.values())):
        voc_png = voc_masks / f'{img_id}.png'
        sbd_mat = sbd_cls / f'{img_id}.mat' if sbd_cls is not None else None
        if voc_png.exists():
            build, src, kind = partial(read_label_png, voc_png, VOC_PALETTE), voc_png, 'voc'
        elif sbd_mat is not None and sbd_mat.exists():
            build, src, kind = partial(load_sbd_mask, sbd_mat), sbd_mat, 'sbd'
        else:
            where = f'{voc_png}' + (f' or {sbd_mat}' if sbd_mat is not None else '')
            raise FileNotFoundError(f'no mask for image {img_id}: looked for {where}')
        sources[kind] += 1
        tasks.append(MaskTask(img_id, str(mask_dir / f'{img_id}.png'), build, len(VOC_CLASSES),
                              str(src)))

    existing = sum(Path(t.dst).exists() for t in tasks)
    labels = materialise_masks(tasks, nproc, progress)
    write_split_files(out_dir, splits, labels)
    return {'splits': {k: len(v) for k, v in splits.items()}, 'mask_sources': sources,
            'masks_written': len(tasks) - existing, 'masks_skipped': existing,
            'mask_dir': str(mask_dir)}


# --------------------------------------------------------------------------------------------------
# COCO 2014
# --------------------------------------------------------------------------------------------------
def coco_segmentation_to_mask(segmentation: Any, height: int, width: int) -> np.ndarray:
    """Rasterise one COCO ``segmentation`` (polygons, uncompressed or compressed RLE) to bool."""
    from pycocotools import mask as mask_utils

    if isinstance(segmentation, list):  # polygons
        polys = [p for p in segmentation if len(p) >= 6]
        if not polys:
            return np.zeros((height, width), dtype=bool)
        rle = mask_utils.merge(mask_utils.frPyObjects(polys, height, width))
    elif isinstance(segmentation.get('counts'), list):  # uncompressed RLE (crowds)
        rle = mask_utils.frPyObjects(segmentation, height, width)
    else:
        rle = segmentation
    return mask_utils.decode(rle).astype(bool)


def rasterize_coco_instances(anns: Sequence[Mapping[str, Any]], height: int, width: int,
                             cat_to_label: Mapping[int, int]) -> np.ndarray:
    """Semantic mask of one COCO image.

    Crowd regions are void (255) first; the other instances are then painted largest first, so a
    small object lying on a larger one stays visible and annotated pixels win over crowd void.
    """
    mask = np.zeros((height, width), dtype=np.uint8)
    for ann in anns:
        if ann.get('iscrowd', 0):
            mask[coco_segmentation_to_mask(ann['segmentation'], height, width)] = IGNORE_INDEX
    solid = [a for a in anns if not a.get('iscrowd', 0)]
    for ann in sorted(solid, key=lambda a: (-float(a.get('area', 0)), a.get('id', 0))):
        mask[coco_segmentation_to_mask(ann['segmentation'], height, width)] = \
            cat_to_label[ann['category_id']]
    return mask


def _place_image(pair: Tuple[str, str], mode: str) -> None:
    """Put the image ``src`` at ``dst`` as an absolute symlink or a copy (atomically, once)."""
    src, dst = pair
    if os.path.lexists(dst):
        return
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    tmp = f'{dst}.{os.getpid()}.tmp'
    if mode == 'symlink':
        os.symlink(os.path.abspath(src), tmp)
    else:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def _load_coco_json(path: Path) -> Dict[str, Any]:
    """Load an instances JSON, naming the file when it is missing or damaged."""
    require_path(path, 'COCO annotation file')
    try:
        with open(path) as f:
            data = json.load(f)
        data['images'], data['annotations'], data['categories']
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f'cannot read COCO annotation file {path}: {err!r}') from err
    return data


def _coco_split_tasks(coco: Mapping[str, Any], img_dir: Path, out_dir: Path,
                      keep_empty: bool) -> Tuple[List[MaskTask], List[Tuple[str, str]]]:
    """Mask tasks and (image, link) pairs of one split; images without objects are dropped
    unless ``keep_empty`` (the WSSS lists of 82,081 train and 40,137 val images drop them)."""
    cats = sorted(c['id'] for c in coco['categories'])
    if len(cats) != len(COCO_CLASSES):
        raise ValueError(f'expected {len(COCO_CLASSES)} COCO categories, found {len(cats)}')
    cat_to_label = {cid: i + 1 for i, cid in enumerate(cats)}
    by_image: Dict[int, list] = {}
    for ann in coco['annotations']:
        by_image.setdefault(ann['image_id'], []).append(ann)
    tasks, pairs = [], []
    for img in sorted(coco['images'], key=lambda im: im['file_name']):
        anns = by_image.get(img['id'], [])
        if not anns and not keep_empty:
            continue
        img_id = Path(img['file_name']).stem
        crowd = {cat_to_label[a['category_id']] - 1 for a in anns if a.get('iscrowd', 0)}
        build = partial(rasterize_coco_instances, anns, img['height'], img['width'], cat_to_label)
        dst = out_dir / 'SegmentationClass' / f'{img_id}.png'
        tasks.append(MaskTask(img_id, str(dst), build, len(COCO_CLASSES),
                              f'annotations of {img["file_name"]}', tuple(sorted(crowd))))
        pairs.append((str(img_dir / img['file_name']),
                      str(out_dir / 'JPEGImages' / f'{img_id}.jpg')))
    return tasks, pairs


def convert_coco(coco_root: PathLike,
                 out_dir: PathLike,
                 splits: Sequence[str] = ('train', 'val'),
                 year: str = '2014',
                 nproc: int = 1,
                 link_images: str = 'symlink',
                 keep_empty: bool = False,
                 progress: bool = False) -> Dict[str, Any]:
    """Convert COCO instance annotations into the VOC layout.

    Writes, under ``out_dir``: ``SegmentationClass/<id>.png`` (label ``i`` = ``i``-th category by
    id, 0 background, 255 crowd), ``JPEGImages/<id>.jpg`` (symlinks to, or copies of, the COCO
    images; ``link_images='none'`` skips them), ``ImageSets/Segmentation/<split>.txt`` and
    ``cls_labels.json``. The id is the image file stem, e.g. ``COCO_train2014_000000000009``, which
    is unique across splits, so all splits share flat folders.

    Args:
        coco_root: Folder holding ``annotations/instances_<split><year>.json`` and
            ``<split><year>/``.
        out_dir: Output root.
        splits: COCO splits to convert.
        year: COCO release year in the file names.
        nproc: Worker processes.
        link_images: ``'symlink'``, ``'copy'`` or ``'none'``.
        keep_empty: Keep images without any object annotation.
        progress: Print a counter to stderr.

    Returns:
        Summary: number of ids per split, masks written and skipped.
    """
    if link_images not in ('symlink', 'copy', 'none'):
        raise ValueError(f"link_images must be 'symlink', 'copy' or 'none', got {link_images!r}")
    coco_root = require_path(coco_root, 'COCO root')
    out_dir = Path(out_dir)
    summary: Dict[str, Any] = {'splits': {}, 'masks_written': 0, 'masks_skipped': 0}
    for split in splits:
        coco = _load_coco_json(coco_root / 'annotations' / f'instances_{split}{year}.json')
        img_dir = require_path(coco_root / f'{split}{year}', 'COCO image dir')
        tasks, pairs = _coco_split_tasks(coco, img_dir, out_dir, keep_empty)
        del coco
        if link_images != 'none':
            for src, _ in pairs:
                require_path(src, 'COCO image')
            parallel_map(partial(_place_image, mode=link_images), pairs, nproc)
        existing = sum(Path(t.dst).exists() for t in tasks)
        labels = materialise_masks(tasks, nproc, progress)
        write_split_files(out_dir, {split: [t.img_id for t in tasks]}, labels)
        summary['splits'][split] = len(tasks)
        summary['masks_written'] += len(tasks) - existing
        summary['masks_skipped'] += existing
    return summary
