# PMM's final model, step 3 (WSSS_MMSeg pspnet_wres38-d8_20k_voc12aug.py): the same PSPNet and
# schedule trained on the cyclic masks with plain cross-entropy.
_base_ = './pmm-pspnet-puf_r38d_1xb16-20k_voc12aug-pseudo-512x512.py'
model = dict(
    decode_head=dict(loss_decode=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=1.0)),
    auxiliary_head=dict(
        loss_decode=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=0.4)))
