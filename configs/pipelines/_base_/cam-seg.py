# Family: classifier -> CAM pseudo-labels -> segmentor trained on them. A pipeline inheriting
# this sets stages.classifier.config and stages.segmentor.config (paths relative to it).
stages = dict(
    classifier=dict(
        config=dict(config=None), steps=('train', 'test'), report=dict(test='pseudo-labels')),
    segmentor=dict(
        config=dict(config=None),
        steps=('train', 'val'),
        val_during_train=False,
        inputs={'train_dataloader.dataset.data_prefix.seg_map_path': 'classifier.labels'},
        report='segmentor'))
