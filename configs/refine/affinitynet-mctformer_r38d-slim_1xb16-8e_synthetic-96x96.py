# AffinityNet of the synthetic MCTformer pipelines: ResNet-38d at 1/8 width from scratch (batch
# norm trained; MCTformer starts it from ImageNet ResNet-38 weights, and its ViT classifier has no
# ResNet backbone to start from), the synthetic schedule (8 epochs, batch 16); MCTformer's random
# walk: a constant background score 0.39, beta 8 (2^2 steps on the 12x12 grid, as the other
# synthetic AffinityNets).
_base_ = './affinitynet_r38d-slim_1xb16-8e_synthetic-96x96.py'
model = dict(
    backbone=dict(
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        init_cfg=dict(_delete_=True, type='Kaiming', layer='Conv2d')),
    walk=dict(bg='constant', bg_thr=0.39))
