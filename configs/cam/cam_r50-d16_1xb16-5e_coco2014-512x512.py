# Plain CAM (IRN's ResNet-50, output stride 16) on COCO 2014 train, VOC's recipe.
_base_ = [
    '../_base_/models/cam_r50-d16.py', '../_base_/datasets/coco2014_cls.py',
    '../_base_/schedules/cam_sgd-poly_5e.py', '../_base_/default_runtime.py'
]
model = dict(data_preprocessor=dict(num_classes=80), head=dict(num_classes=80))
