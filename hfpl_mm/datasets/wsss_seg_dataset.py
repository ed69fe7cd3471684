"""Pixel-labelled images in the VOC segmentation layout, for the final segmentation model.

The segmentor of a WSSS pipeline trains on the classifier stage's pseudo-label PNGs and is
evaluated on the ground truth. Both are folders of ``<id>.png`` label maps next to the same
images, so one data set class serves both: ``data_prefix['seg_map_path']`` names the folder.
"""
import os.path as osp
from typing import Any, List, Optional, Sequence

from mmengine.fileio import list_from_file
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from .class_names import COCO_CLASSES, COCO_PALETTE, PALETTE_256, VOC_CLASSES, VOC_PALETTE
from .sample_checks import check_ids, check_image_mask_size, check_mask_values
from .synthetic import SYNTHETIC_CLASSES, SYNTHETIC_PALETTE, prepare_synthetic, synthetic_classes

__all__ = [
    'WSSSSegDataset', 'VOCSegDataset', 'COCOSegDataset', 'SyntheticSegDataset'
]


@DATASETS.register_module()
class WSSSSegDataset(BaseSegDataset):
    """Semantic segmentation data set of a weakly-supervised segmentation benchmark.

    One layout serves VOC (+SBD), COCO and the synthetic set; the subclasses only set
    ``METAINFO`` (background first, then the data set's classes, and the VOC palette; the
    synthetic one also generates its data)::

        data_root/
        ├── JPEGImages/<id>.jpg
        ├── SegmentationClass/<id>.png        (ground truth: validation and test)
        ├── ImageSets/Segmentation/<split>.txt
        └── ...
        <pseudo_label_dir>/<id>.png           (classifier stage output: training)

    Masks are palette or grey PNGs holding label indices: 0 background, 1..C classes, 255 ignored.
    ``data_prefix['seg_map_path']`` selects the masks, relative to ``data_root`` or absolute, so a
    training set reads the pseudo-labels and a validation set the ground truth.

    Compared with :class:`mmseg.datasets.BaseSegDataset` this class fails early and by name:

    * a missing ``data_root``, ``ann_file`` or image folder raises :class:`FileNotFoundError`
      (mmseg asserts, or silently lists a folder when ``ann_file`` is missing);
    * with ``check_files=True``, images and masks missing for listed ids raise
      :class:`FileNotFoundError` naming the first one and the count, when the list is loaded
      instead of at some later iteration (an incomplete pseudo-label folder is the usual cause);
    * a file that cannot be decoded (or any other failure of the pipeline) is re-raised naming the
      sample's image and mask paths;
    * an empty split list, an image whose mask has another size, and a mask value that is neither
      a class nor 255 raise :class:`ValueError` naming the file (and the values): mmseg would
      crop the pair silently, and its metrics drop unknown values silently.

    Args:
        data_root (str): Root of the layout above.
        ann_file (str): Image ids, one per line, relative to ``data_root`` or absolute.
            Defaults to 'ImageSets/Segmentation/train.txt'.
        data_prefix (dict): ``img_path`` and ``seg_map_path`` folders, relative to ``data_root``
            or absolute. ``seg_map_path=None`` loads images only (inference).
            Defaults to ``dict(img_path='JPEGImages', seg_map_path='SegmentationClass')``.
        check_files (bool): Check at load time that every listed image and mask exists.
            Defaults to True.
        **kwargs: Other :class:`BaseSegDataset` arguments (``pipeline``, ``test_mode``,
            ``img_suffix``, ``seg_map_suffix``, ``metainfo``, ...).
    """

    def __init__(self,
                 data_root: str,
                 ann_file: str = 'ImageSets/Segmentation/train.txt',
                 data_prefix: dict = dict(img_path='JPEGImages', seg_map_path='SegmentationClass'),
                 check_files: bool = True,
                 **kwargs) -> None:
        if not osp.isdir(data_root):
            raise FileNotFoundError(f'{type(self).__name__}: data_root not found: {data_root}')
        self.check_files = check_files
        # mmengine joins every prefix to data_root and rejects None: no masks = no key
        data_prefix = {k: v for k, v in data_prefix.items() if v is not None}
        super().__init__(data_root=data_root, ann_file=ann_file, data_prefix=data_prefix,
                         **kwargs)

    def load_data_list(self) -> List[dict]:
        """Read the ids of ``ann_file`` and pair each with its image and mask paths.

        Returns:
            list[dict]: One ``dict(img_path, seg_map_path, label_map, reduce_zero_label,
            seg_fields)`` per id (no ``seg_map_path`` when ``data_prefix`` has none).
        """
        name = type(self).__name__
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'{name}: ann_file not found: {self.ann_file}')
        img_dir = self.data_prefix['img_path']
        seg_dir = self.data_prefix.get('seg_map_path')
        if not osp.isdir(img_dir):
            raise FileNotFoundError(f'{name}: image folder not found: {img_dir}')
        lines = list_from_file(self.ann_file, backend_args=self.backend_args)
        ids = [line.strip() for line in lines if line.strip()]
        check_ids(ids, self.ann_file, name)
        data_list = []
        for img_id in ids:
            info = dict(img_path=osp.join(img_dir, img_id + self.img_suffix),
                        label_map=self.label_map, reduce_zero_label=self.reduce_zero_label,
                        seg_fields=[])
            if seg_dir is not None:
                info['seg_map_path'] = osp.join(seg_dir, img_id + self.seg_map_suffix)
            data_list.append(info)
        if self.check_files:
            self._check_files(data_list)
        return data_list

    def _check_files(self, data_list: List[dict]) -> None:
        """Raise :class:`FileNotFoundError` if an image or mask of ``data_list`` is missing."""
        for key, what in (('img_path', 'images'), ('seg_map_path', 'masks')):
            paths = [info[key] for info in data_list if key in info]
            missing = [path for path in paths if not osp.isfile(path)]
            if missing:
                folder = osp.dirname(missing[0])
                if not osp.isdir(folder):
                    raise FileNotFoundError(
                        f'{type(self).__name__}: folder of the {what} not found: {folder}')
                raise FileNotFoundError(
                    f'{type(self).__name__}: {len(missing)} of {len(paths)} {what} listed in '
                    f'{self.ann_file} are missing from {folder}; first missing: {missing[0]}')

    def prepare_data(self, idx: int) -> Any:
        """Run the pipeline on sample ``idx``; a failure is re-raised naming its files.

        mmcv's decoders only see bytes, so an unreadable PNG otherwise surfaces as e.g.
        ``cannot identify image file <_io.BytesIO ...>`` with no hint of which file it was.
        """
        name = type(self).__name__
        info = self.get_data_info(idx)
        if info.get('seg_map_path'):
            check_image_mask_size(info['img_path'], info['seg_map_path'], name)
        try:
            results = super().prepare_data(idx)
        except Exception as err:
            raise RuntimeError(
                f'{name}: cannot load sample {idx} (image {info["img_path"]}, '
                f'mask {info.get("seg_map_path")}): {type(err).__name__}: {err}') from err
        sample = results.get('data_samples') if isinstance(results, dict) else None
        gt = getattr(sample, 'gt_sem_seg', None)
        if gt is not None:
            check_mask_values(gt.data.cpu().numpy(), len(self.metainfo['classes']),
                              info['seg_map_path'], name)
        return results


@DATASETS.register_module()
class VOCSegDataset(WSSSSegDataset):
    """PASCAL VOC 2012 (+ SBD) in the layout of :class:`WSSSSegDataset` (21 labels)."""
    METAINFO = dict(classes=('background', ) + VOC_CLASSES, palette=VOC_PALETTE)


@DATASETS.register_module()
class COCOSegDataset(WSSSSegDataset):
    """COCO 2014 in the layout of :class:`WSSSSegDataset` (81 labels)."""
    METAINFO = dict(classes=('background', ) + COCO_CLASSES, palette=COCO_PALETTE)


@DATASETS.register_module()
class SyntheticSegDataset(WSSSSegDataset):
    """The synthetic set of :mod:`hfpl_mm.datasets.synthetic`, generated into ``data_root`` on
    first use when ``generate`` is True (deterministic from ``synthetic_cfg['seed']``).

    The class list follows ``synthetic_cfg['num_classes']`` (6 by default), so a set generated
    with another number of classes is read with matching ``metainfo``.

    Args:
        data_root (str): Root of the generated set.
        generate (bool): Build the data when ``data_root`` lacks a complete set (see
            :func:`prepare_synthetic`). Defaults to True.
        synthetic_cfg (dict, optional): Arguments of ``ensure_synthetic_voc`` (counts, size,
            seed, classes). Defaults to the generator's defaults.
        **kwargs: :class:`WSSSSegDataset` arguments.
    """
    METAINFO = dict(classes=('background', ) + SYNTHETIC_CLASSES, palette=SYNTHETIC_PALETTE)

    def __init__(self,
                 data_root: str,
                 generate: bool = True,
                 synthetic_cfg: Optional[dict] = None,
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        if generate:
            prepare_synthetic(data_root, synthetic_cfg)
        num_classes = (synthetic_cfg or {}).get('num_classes')
        if metainfo is None and num_classes is not None:
            classes = synthetic_classes(num_classes)
            metainfo = dict(classes=('background', ) + classes,
                            palette=PALETTE_256[:len(classes) + 1])
        super().__init__(data_root=data_root, metainfo=metainfo, **kwargs)

    @classmethod
    def get_label_map(cls, new_classes: Optional[Sequence[str]] = None) -> Optional[dict]:
        """No label mapping for the class list of another ``num_classes``: the generator gives
        class ``k`` the label ``k`` whatever the number of classes. Other class lists are mapped
        as in mmseg (a subset of the default classes only)."""
        if new_classes is not None and new_classes[0] == 'background':
            try:
                if tuple(new_classes[1:]) == synthetic_classes(len(new_classes) - 1):
                    return None
            except ValueError:  # not 2..8 foreground classes
                pass
        return super().get_label_map(new_classes)
