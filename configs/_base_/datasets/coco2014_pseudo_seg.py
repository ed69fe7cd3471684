# COCO 2014 (80 classes + background) for the final segmentation model: the VOC pipelines and
# loaders, trained on the pseudo-labels of train2014 (82,081 images) and validated on the ground
# truth of val2014 (40,137 images). Build the layout with tools/dataset_converters/coco.py.
_base_ = './voc12aug_pseudo_seg.py'
data_root = 'data/coco2014'
# see voc12aug_pseudo_seg.py: set train_dataloader.dataset.data_prefix.seg_map_path to the
# pseudo-labels; the default is the train2014 ground truth
pseudo_label_dir = 'SegmentationClass'
train_dataloader = dict(
    dataset=dict(
        type='COCOSegDataset',
        data_root=data_root,
        ann_file='ImageSets/Segmentation/train.txt',
        data_prefix=dict(seg_map_path=pseudo_label_dir)))
val_dataloader = dict(dataset=dict(type='COCOSegDataset', data_root=data_root))
test_dataloader = val_dataloader
