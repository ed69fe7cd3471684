# The data preprocessors of every model here: ImageNet mean / std on RGB 0-255 images, as the
# backbones' ImageNet weights expect. The classifiers (mmpretrain) take
# ``data_preprocessor=_base_.cls_data_preprocessor`` (VOC's 20 classes; COCO / synthetic configs
# override num_classes), the pixel-level models (mmseg) ``_base_.seg_data_preprocessor``.
imagenet_mean = [123.675, 116.28, 103.53]
imagenet_std = [58.395, 57.12, 57.375]
cls_data_preprocessor = dict(
    type='ClsDataPreprocessor', num_classes=20, mean=imagenet_mean, std=imagenet_std,
    to_rgb=True, to_onehot=True)
seg_data_preprocessor = dict(
    type='SegDataPreProcessor', mean=imagenet_mean, std=imagenet_std, bgr_to_rgb=True,
    pad_val=0, seg_pad_val=255)
