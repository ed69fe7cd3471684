# Family: classifier -> CAM pseudo-labels -> confident labels from the CAMs -> a refinement net
# (AffinityNet / IRN) trained on them, whose random walk writes the refined labels -> segmentor
# trained on those. A pipeline inheriting this sets the config of each stage.
_cams = 'test_dataloader.dataset.pipeline[type=LoadCAMs].cam_dir'
stages = dict(
    classifier=dict(config=dict(config=None), steps=('train', 'test'), report='pseudo-labels'),
    refine_labels=dict(
        config=dict(config=None), steps=('test', ), inputs={_cams: 'classifier.cams'},
        report='confident-labels'),
    refine_net=dict(
        config=dict(config=None),
        steps=('train', 'test'),
        inputs={
            'train_dataloader.dataset.data_prefix.seg_map_path': 'refine_labels.labels',
            _cams: 'classifier.cams'
        },
        report='refined'),
    segmentor=dict(
        config=dict(config=None),
        steps=('train', 'val'),
        val_during_train=False,
        inputs={'train_dataloader.dataset.data_prefix.seg_map_path': 'refine_net.labels'},
        report='segmentor'))
