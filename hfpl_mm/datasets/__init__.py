from .synthetic_pretrain_dataset import SyntheticPretrainDataset
from .transforms import LoadCAMs, LoadForegroundRatios
from .wsss_cls_dataset import (COCOClsDataset, SyntheticClsDataset, VOCClsDataset,
                               WSSSClsDataset)
from .wsss_seg_dataset import COCOSegDataset, SyntheticSegDataset, VOCSegDataset, WSSSSegDataset

__all__ = [
    'WSSSClsDataset', 'VOCClsDataset', 'COCOClsDataset', 'SyntheticClsDataset', 'WSSSSegDataset',
    'VOCSegDataset', 'COCOSegDataset', 'SyntheticSegDataset', 'SyntheticPretrainDataset',
    'LoadCAMs', 'LoadForegroundRatios'
]
