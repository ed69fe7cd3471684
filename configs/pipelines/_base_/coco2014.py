# COCO 2014 (tools/dataset_converters/coco.py) for every stage. The refinement configs are
# VOC's; these options turn their loaders to COCO's training images (train2014) and masks:
# `coco_refine_options` for a net that trains, `coco_label_options` for a label-only stage.
data_root = 'data/coco2014'
_train2014 = {
    'type': 'COCOSegDataset',
    'ann_file': 'ImageSets/Segmentation/train.txt',
    'data_prefix.seg_map_path': 'SegmentationClass'
}
coco_label_options = {f'test_dataloader.dataset.{k}': v for k, v in _train2014.items()}
coco_refine_options = dict(
    coco_label_options, **{f'train_dataloader.dataset.{k}': v for k, v in _train2014.items()})
