from .wsss_cls_dataset import (COCOClsDataset, SyntheticClsDataset, VOCClsDataset,
                               WSSSClsDataset)

__all__ = ['WSSSClsDataset', 'VOCClsDataset', 'COCOClsDataset', 'SyntheticClsDataset']
