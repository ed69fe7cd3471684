"""Checks of the files a WSSS data set lists, each failure naming the file (and id / value)."""
import json
import os.path as osp
from typing import Dict, List, Sequence

import numpy as np
from PIL import Image

__all__ = ['check_ids', 'read_cls_labels', 'check_image_mask_size', 'check_mask_values']

IGNORE_INDEX = 255


def check_ids(ids: Sequence[str], ann_file: str, dataset: str) -> None:
    """An empty split list is an error naming it (mmengine otherwise dies later with "need at
    least one array to concatenate")."""
    if not ids:
        raise ValueError(f'{dataset}: {ann_file} lists no image ids (empty split file)')


def read_cls_labels(path: str, dataset: str) -> Dict[str, List[int]]:
    """``cls_labels.json`` as ``{id: [class indices]}``; malformed JSON or another structure is
    a ``ValueError`` naming the file."""
    try:
        with open(path) as f:
            labels = json.load(f)
    except json.JSONDecodeError as err:
        raise ValueError(f'{dataset}: {path} is not valid JSON ({err}); expected '
                         '{"<image id>": [class indices], ...}') from err
    if not isinstance(labels, dict) or not all(isinstance(v, list) for v in labels.values()):
        raise ValueError(f'{dataset}: {path} must map image ids to lists of class indices, got '
                         f'{type(labels).__name__}' + (
                             '' if not isinstance(labels, dict) else ' with non-list values'))
    return labels


def check_image_mask_size(img_path: str, seg_path: str, dataset: str) -> None:
    """Raise ``ValueError`` naming both files when an image and its mask differ in size (only
    the file headers are read)."""
    if not (osp.isfile(img_path) and osp.isfile(seg_path)):
        return  # reported by the loaders, with their own messages
    try:
        with Image.open(img_path) as img, Image.open(seg_path) as seg:
            img_size, seg_size = img.size, seg.size
    except Exception:  # noqa: BLE001 - an undecodable file: the loaders name it
        return
    if img_size != seg_size:
        raise ValueError(f'{dataset}: image {img_path} is {img_size[0]}x{img_size[1]} but its '
                         f'mask {seg_path} is {seg_size[0]}x{seg_size[1]} (width x height): the '
                         'mask belongs to another image or was resized')


def check_mask_values(mask, num_classes: int, seg_path: str, dataset: str) -> None:
    """Raise ``ValueError`` naming the mask and the values that are neither a class index
    (``0 .. num_classes - 1``) nor ``255`` (ignored); mmseg's metrics drop them silently."""
    values = np.unique(np.asarray(mask))
    bad = [int(v) for v in values if not (0 <= v < num_classes or v == IGNORE_INDEX)]
    if bad:
        raise ValueError(f'{dataset}: mask {seg_path} has values {bad} that are neither a class '
                         f'(0..{num_classes - 1}) nor {IGNORE_INDEX} (ignored)')
