# AffinityNet as MCTformer's psa/ runs it (xulianuwa/MCTformer@9606597 psa/train_aff.py,
# psa/infer_aff.py): psa's ResNet-38d AffinityNet from ImageNet ResNet-38 weights, batch 8,
# 5 epochs (psa: 8), lr 0.01 (x10 on the new layers), 448 crops; random walk with a constant
# background score 0.39 (its --bg_thr, "the optimal one obtained for seeds") instead of psa's
# (1 - max cam)^alpha, beta 8, 2^6 steps.
_base_ = './affinitynet_r38d_1xb8-8e_voc12aug-448x448.py'
model = dict(walk=dict(bg='constant', bg_thr=0.39))
train_cfg = dict(max_epochs=5)
