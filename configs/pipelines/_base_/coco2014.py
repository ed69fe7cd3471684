# COCO 2014 (tools/dataset_converters/coco.py) for every stage. The refinement configs are
# VOC's; these turn their loaders to COCO's training images (train2014) and masks, merged into a
# refine stage's config: dict(config=..., **coco_refine_data) for a net that trains,
# **coco_label_data for a label-only stage.
data_root = 'data/coco2014'
_train2014 = dict(
    type='COCOSegDataset',
    ann_file='ImageSets/Segmentation/train.txt',
    data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'))
coco_label_data = dict(test_dataloader=dict(dataset=_train2014))
coco_refine_data = dict(train_dataloader=dict(dataset=_train2014), **coco_label_data)
