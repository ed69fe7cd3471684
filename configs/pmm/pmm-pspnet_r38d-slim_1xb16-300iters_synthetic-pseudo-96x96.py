# The synthetic PSPNet retrained on the cyclic masks with plain cross-entropy.
_base_ = './pmm-pspnet-puf_r38d-slim_1xb16-300iters_synthetic-pseudo-96x96.py'
model = dict(
    decode_head=dict(loss_decode=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=1.0)),
    auxiliary_head=dict(
        loss_decode=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=0.4)))
