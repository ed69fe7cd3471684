# Family: cam-seg.py with refinement between the pseudo-labels and the segmentor: confident
# labels from the CAMs -> a refinement net (AffinityNet / IRN) trained on them, whose random walk
# writes the refined labels, which the segmentor trains on. A pipeline inheriting this sets the
# config of each stage.
_base_ = './cam-seg.py'
_cams = 'test_dataloader.dataset.pipeline[type=LoadCAMs].cam_dir'
_labels = 'train_dataloader.dataset.data_prefix.seg_map_path'
stages = dict(
    refine_labels=dict(
        config=dict(config=None), steps=('test', ), inputs={_cams: 'classifier.cams'},
        report='confident-labels'),
    refine_net=dict(
        config=dict(config=None),
        steps=('train', 'test'),
        inputs={_labels: 'refine_labels.labels', _cams: 'classifier.cams'},
        report='refined'),
    segmentor=dict(inputs={_labels: 'refine_net.labels'}))
