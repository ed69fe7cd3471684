# ImageNet weights for the VOC / COCO stages that start from them, as a stage's options. Nothing
# is downloaded: put the files here first (ResNet-38d: tools/model_converters/resnet38_mxnet.py;
# ResNet-50: torchvision's ImageNet state dict saved with torch.save), or point the options
# elsewhere with --cfg-options.
resnet50_imagenet = {
    'model.backbone.init_cfg':
    dict(type='Pretrained', checkpoint='checkpoints/resnet50_imagenet.pth')
}
resnet38d_imagenet = {
    'model.backbone.init_cfg':
    dict(type='Pretrained', checkpoint='checkpoints/resnet38d_ilsvrc-mxnet.pth',
         prefix='backbone.')
}
