"""The synthetic pretraining set as an mmpretrain data set (a folder per class)."""
from typing import Optional

from mmpretrain.datasets import CustomDataset
from mmpretrain.registry import DATASETS

from .synthetic_pretrain import PRETRAIN_CLASSES, ensure_synthetic_pretrain


@DATASETS.register_module()
class SyntheticPretrainDataset(CustomDataset):
    """Single-label images of :mod:`hfpl_mm.datasets.synthetic_pretrain` (32 classes), generated
    into ``data_root`` on first use: the synthetic stand-in for ImageNet.

    Args:
        data_root (str): Root of the set.
        split (str): ``'train'`` or ``'val'``. Defaults to 'train'.
        generate (bool): Build the set when ``data_root`` lacks a complete one. Defaults to True.
        pretrain_cfg (dict, optional): Arguments of ``ensure_synthetic_pretrain`` (images per
            class, size, seed). Defaults to its defaults.
        **kwargs: :class:`mmpretrain.datasets.CustomDataset` arguments (``pipeline``, ...).
    """
    METAINFO = dict(classes=PRETRAIN_CLASSES)

    def __init__(self, data_root: str, split: str = 'train', generate: bool = True,
                 pretrain_cfg: Optional[dict] = None, **kwargs):
        if split not in ('train', 'val'):
            raise ValueError(f"SyntheticPretrainDataset: split must be 'train' or 'val', got "
                             f'{split!r}')
        if generate:
            ensure_synthetic_pretrain(data_root, **(pretrain_cfg or {}))
        super().__init__(data_root=data_root, data_prefix=split, with_label=True, **kwargs)
