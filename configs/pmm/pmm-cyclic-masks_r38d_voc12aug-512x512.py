# PMM's final model, step 2 (WSSS_MMSeg pspnet_wres38-d8_20k_voc12aug_cp.py): the PUF-trained
# PSPNet predicts train_aug with its test (slide 512 / 480, ratios 0.5-1.75, flips, CRF); the
# predictions, the "cyclic" masks, are written and scored against the train_aug masks like any
# pseudo-labels (RefinedLabelMetric). Set load_from to that training's checkpoint.
_base_ = './pmm-pspnet-puf_r38d_1xb16-20k_voc12aug-pseudo-512x512.py'
test_dataloader = dict(
    dataset=dict(ann_file='ImageSets/Segmentation/trainaug.txt',
                 data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug')))
test_evaluator = dict(_delete_=True, type='RefinedLabelMetric', prefix='cyclic')
test_cfg = dict(type='ResumableTestLoop')
