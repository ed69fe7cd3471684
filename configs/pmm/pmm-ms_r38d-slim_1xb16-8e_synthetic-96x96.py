# PMM stage A on the synthetic set from scratch on the CPU: the synthetic SEAM (ResNet-38d at 1/8
# width, trainable batch norm, its from-scratch optimiser) for PMM's 8 epochs.
_base_ = '../seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
train_cfg = dict(max_epochs=8, val_interval=8)
