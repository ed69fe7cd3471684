# Family: PMM (Eli-YiLi/PMM run.py, Eli-YiLi/WSSS_MMSeg tools/run_wsss.sh). Stage A
# (`classifier`, multi-scale SEAM) -> its CAMs' CRF regions (`crf_regions`) label the crops of
# stage B (`multi_crop`, SEAM on a crop grid) -> PPMG pseudo-labels of stage B's CAMs (`ppmg`) ->
# PSPNet with the PUF loss (`segmentor_puf`) -> its predictions of the training images, the
# cyclic masks (`cyclic_masks`) -> PSPNet retrained on them with plain CE (`segmentor`).
# A pipeline inheriting this sets the config of each stage.
# ImageNet ScaleNet-101 for stage B (tools/model_converters/scalenet.py writes both files): its
# branch allocation and weights, as a stage's options
scalenet101_imagenet = {
    'model.backbone.structure': 'checkpoints/scalenet101_imagenet.json',
    'model.backbone.init_cfg': dict(type='Pretrained',
                                    checkpoint='checkpoints/scalenet101_imagenet.pth',
                                    prefix='backbone.')
}
_cams = 'test_dataloader.dataset.pipeline[type=LoadCAMs].cam_dir'
_regions = 'train_dataloader.dataset.pipeline[type=MultiCropSample].region_dir'
_labels = 'train_dataloader.dataset.data_prefix.seg_map_path'
stages = dict(
    classifier=dict(
        config=dict(config=None), steps=('train', 'test'), report=dict(test='stage-A CAM')),
    crf_regions=dict(
        config=dict(config=None), steps=('test', ), inputs={_cams: 'classifier.cams'},
        report='stage-A CRF regions'),
    multi_crop=dict(
        config=dict(config=None),
        steps=('train', 'test'),
        inputs={_regions: 'crf_regions.labels'},
        report=dict(test='stage-B CAM')),
    ppmg=dict(
        config=dict(config=None), steps=('test', ), inputs={_cams: 'multi_crop.cams'},
        report='PPMG labels'),
    segmentor_puf=dict(
        config=dict(config=None),
        steps=('train', 'val'),
        val_during_train=False,
        inputs={_labels: 'ppmg.labels'},
        report='segmentor (PUF)'),
    cyclic_masks=dict(
        config=dict(config=None), steps=('test', ),
        inputs={'load_from': 'segmentor_puf.checkpoint'}, report='cyclic masks'),
    segmentor=dict(
        config=dict(config=None),
        steps=('train', 'val'),
        val_during_train=False,
        inputs={_labels: 'cyclic_masks.labels'},
        report='segmentor (cyclic)'))
