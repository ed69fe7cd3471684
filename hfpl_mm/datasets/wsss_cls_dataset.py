"""Image-level labelled images in the VOC segmentation layout, for CAM classifiers."""
import logging
import os.path as osp
from typing import List, Optional

import numpy as np
from mmengine.fileio import list_from_file
from mmengine.logging import print_log
from PIL import Image
from mmpretrain.datasets import MultiLabelDataset
from mmpretrain.registry import DATASETS

from .class_names import COCO_CLASSES, VOC_CLASSES
from .sample_checks import (check_ids, check_image_mask_size, check_mask_values,
                            read_cls_labels)
from .synthetic import SYNTHETIC_CLASSES, prepare_synthetic, synthetic_classes


@DATASETS.register_module()
class WSSSClsDataset(MultiLabelDataset):
    """Multi-label data set of a weakly-supervised segmentation benchmark.

    One layout serves VOC (+SBD), COCO and the synthetic set; the subclasses only name their
    classes. Labels are foreground class indices (background excluded), so class ``k`` here is
    class ``k + 1`` of the segmentation masks::

        data_root/
        ├── JPEGImages/<id>.jpg
        ├── SegmentationClass/<id>.png        (optional: CAM quality during validation)
        ├── ImageSets/Segmentation/<split>.txt
        └── cls_labels.json                   ({id: [class indices]})

    An empty split list or a malformed ``cls_labels.json`` raises ``ValueError`` naming the file;
    images with an empty label list (no foreground class: their CAM pseudo-labels are all
    background) are counted in one warning. In ``test_mode`` (validation / pseudo-labels, where
    the masks are scored) an image whose mask has another size, or a mask value that is neither
    a class nor 255, raises ``ValueError`` naming the file.

    Args:
        data_root (str): Root of the layout above.
        ann_file (str): List of image ids, relative to ``data_root``.
        label_file (str): Image-level labels, relative to ``data_root``.
        data_prefix (dict): ``img_path`` and ``seg_map_path`` folders.
        img_suffix (str): Image file suffix. Defaults to '.jpg'.
        seg_map_suffix (str): Mask file suffix. Defaults to '.png'.
        **kwargs: :class:`mmpretrain.datasets.BaseDataset` arguments (``pipeline``, ...).
    """

    def __init__(self,
                 data_root: str,
                 ann_file: str = 'ImageSets/Segmentation/train.txt',
                 label_file: str = 'cls_labels.json',
                 data_prefix: dict = dict(img_path='JPEGImages',
                                          seg_map_path='SegmentationClass'),
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '.png',
                 metainfo: Optional[dict] = None,
                 **kwargs):
        if not osp.isdir(data_root):
            raise FileNotFoundError(f'{type(self).__name__}: data_root not found: {data_root}')
        self.label_file = osp.join(data_root, label_file)
        self.img_suffix = img_suffix
        self.seg_map_suffix = seg_map_suffix
        super().__init__(ann_file=ann_file, metainfo=metainfo, data_root=data_root,
                         data_prefix=dict(data_prefix), **kwargs)

    def load_data_list(self) -> List[dict]:
        for path in (self.ann_file, self.label_file):
            if not osp.isfile(path):
                raise FileNotFoundError(f'{type(self).__name__}: file not found: {path}')
        name = type(self).__name__
        labels = read_cls_labels(self.label_file, name)
        num_classes = len(self.CLASSES)
        seg_dir = self.data_prefix.get('seg_map_path')
        ids = [i.strip() for i in list_from_file(self.ann_file) if i.strip()]
        check_ids(ids, self.ann_file, name)
        data_list, unlabelled = [], []
        for img_id in ids:
            if img_id not in labels:
                raise KeyError(f'{self.label_file}: no image-level labels for image "{img_id}" '
                               f'listed in {self.ann_file}')
            gt = [int(c) for c in labels[img_id]]
            if any(not 0 <= c < num_classes for c in gt):
                raise ValueError(f'{self.label_file}: image "{img_id}" has labels {gt} outside '
                                 f'0..{num_classes - 1}')
            if not gt:
                unlabelled.append(img_id)
            info = dict(img_path=osp.join(self.data_prefix['img_path'], img_id + self.img_suffix),
                        gt_label=gt)
            if seg_dir:
                info['seg_map_path'] = osp.join(seg_dir, img_id + self.seg_map_suffix)
            data_list.append(info)
        if unlabelled:
            print_log(f'{name}: {len(unlabelled)} of {len(ids)} images of {self.ann_file} have '
                      f'no image-level label in {self.label_file} (e.g. "{unlabelled[0]}"): '
                      'their pseudo-labels are all background', logger='current',
                      level=logging.WARNING)
        return data_list

    def prepare_data(self, idx: int):
        """The pipeline's sample; in ``test_mode`` the mask is checked against the image first
        (size, values), since the metrics score it."""
        info = self.get_data_info(idx)
        seg = info.get('seg_map_path')
        if self.test_mode and seg and osp.isfile(seg):
            name = type(self).__name__
            check_image_mask_size(info['img_path'], seg, name)
            try:
                with Image.open(seg) as mask:
                    mode, values = mask.mode, np.asarray(mask)
            except Exception:  # noqa: BLE001 - an undecodable mask: the metric names it
                mode = None
            if mode in ('P', 'L'):  # index masks (colour ones are mapped when read)
                check_mask_values(values, len(self.CLASSES) + 1, seg, name)
        return super().prepare_data(idx)


@DATASETS.register_module()
class VOCClsDataset(WSSSClsDataset):
    """PASCAL VOC 2012 (+ SBD) in the layout of :class:`WSSSClsDataset` (20 classes)."""
    METAINFO = dict(classes=VOC_CLASSES)


@DATASETS.register_module()
class COCOClsDataset(WSSSClsDataset):
    """COCO 2014 in the layout of :class:`WSSSClsDataset` (80 classes)."""
    METAINFO = dict(classes=COCO_CLASSES)


@DATASETS.register_module()
class SyntheticClsDataset(WSSSClsDataset):
    """The synthetic set of :mod:`hfpl_mm.datasets.synthetic`, generated into ``data_root`` on
    first use when ``generate`` is True (deterministic from ``synthetic_cfg['seed']``).

    Args:
        generate (bool): Build the data when ``data_root`` lacks a complete set. Defaults to True.
        synthetic_cfg (dict, optional): Arguments of ``ensure_synthetic_voc`` (counts, size,
            seed). Defaults to the generator's defaults.
    """
    METAINFO = dict(classes=SYNTHETIC_CLASSES)

    def __init__(self, data_root: str, generate: bool = True,
                 synthetic_cfg: Optional[dict] = None, metainfo: Optional[dict] = None,
                 **kwargs):
        if generate:
            prepare_synthetic(data_root, synthetic_cfg)
        num_classes = (synthetic_cfg or {}).get('num_classes')
        if metainfo is None and num_classes is not None:
            metainfo = dict(classes=synthetic_classes(num_classes))
        super().__init__(data_root=data_root, metainfo=metainfo, **kwargs)
