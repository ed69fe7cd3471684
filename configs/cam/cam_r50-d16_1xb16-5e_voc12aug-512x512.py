# Plain CAM (IRN's ResNet-50, output stride 16) on VOC train_aug: batch 16, 5 epochs, 512 crops.
_base_ = [
    '../_base_/models/cam_r50-d16.py', '../_base_/datasets/voc12aug_cls.py',
    '../_base_/schedules/cam_sgd-poly_5e.py', '../_base_/default_runtime.py'
]
