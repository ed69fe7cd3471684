# SIPE (ResNet-50, output stride 16) on COCO 2014 train (80 classes), VOC's recipe as the
# public code's COCO setting.
_base_ = [
    '../_base_/models/sipe_r50-d16.py', '../_base_/datasets/coco2014_cls.py',
    '../_base_/schedules/sipe_sgd-poly_5e.py', '../_base_/default_runtime.py'
]
model = dict(data_preprocessor=dict(num_classes=80), head=dict(num_classes=80))
test_evaluator = dict(_delete_=True, type='BgChannelPseudoLabelMetric')
