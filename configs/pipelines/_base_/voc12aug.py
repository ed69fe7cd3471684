# PASCAL VOC 2012 + SBD (tools/dataset_converters/voc_aug.py) for every stage.
data_root = 'data/VOCdevkit/VOC2012'
