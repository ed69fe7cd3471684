# The synthetic cyclic masks: the PUF-trained PSPNet's test on the training images, written and
# scored against their masks (see pmm-cyclic-masks_r38d_voc12aug-512x512.py).
_base_ = './pmm-pspnet-puf_r38d-slim_1xb16-300iters_synthetic-pseudo-96x96.py'
test_dataloader = dict(
    dataset=dict(ann_file='ImageSets/Segmentation/train.txt',
                 data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass')))
test_evaluator = dict(_delete_=True, type='RefinedLabelMetric', prefix='cyclic')
test_cfg = dict(type='ResumableTestLoop')
