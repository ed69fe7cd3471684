# COCO 2014 (80 classes) with image-level labels; the VOC pipeline and loaders with COCO's data.
# Build the layout with tools/dataset_converters/coco.py.
_base_ = './voc12aug_cls.py'
data_root = 'data/coco2014'
train_dataloader = dict(
    dataset=dict(type='COCOClsDataset', data_root=data_root,
                 ann_file='ImageSets/Segmentation/train.txt'))
val_dataloader = dict(
    dataset=dict(type='COCOClsDataset', data_root=data_root,
                 ann_file='ImageSets/Segmentation/val.txt'))
test_dataloader = dict(
    dataset=dict(type='COCOClsDataset', data_root=data_root,
                 ann_file='ImageSets/Segmentation/train.txt'))
