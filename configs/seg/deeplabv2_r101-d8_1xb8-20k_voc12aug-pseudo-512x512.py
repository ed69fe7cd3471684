# DeepLab-v2 (ResNet-101, output stride 8, ASPP rates 6/12/18/24) trained on WSSS pseudo-labels
# of VOC train_aug, the "Res101" final model of SIPE / Spatial-BCE in mmseg's 20k recipe.
# ImageNet initialisation from a local file (nothing is downloaded):
#   --cfg-options model.pretrained=/path/to/resnet101_v1c.pth
_base_ = [
    '../_base_/models/deeplabv2_r101-d8.py', '../_base_/datasets/voc12aug_pseudo_seg.py',
    '../_base_/schedules/seg_sgd-poly_20k.py', '../_base_/seg_runtime.py'
]
crop_size = (512, 512)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor, decode_head=dict(num_classes=21))
