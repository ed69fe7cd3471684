# IRN after plain CAM on VOC train_aug: frozen ResNet-50, batch 32, 3 epochs, 512 crops.
_base_ = [
    '../_base_/models/irn_r50.py', '../_base_/datasets/voc12aug_refine.py',
    '../_base_/schedules/irn_sgd-poly_3e.py', '../_base_/seg_runtime.py'
]
crop_size = (512, 512)
model = dict(data_preprocessor=dict(size=crop_size))
