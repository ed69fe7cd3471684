# MCTformer's AffinityNet labels of VOC train_aug: CRF-prob maps with background powers 1 / 12
# (xulianuwa/MCTformer@9606597 run_psa.sh, engine.py _crf_with_alpha).
_base_ = './confident-labels_psa-a4-24_voc12aug.py'
model = dict(alpha_fg=1, alpha_bg=12)
