"""Decoders (heads): one module per family.

Every builder has the signature
``build(inputs, encode, n_classes, output_stride, width)``:
``encode(x)`` runs the encoder and returns its taps ``{stride: tensor}``
(most decoders call it on ``inputs``; ICNet on a reduced copy). A builder
returns class logits at the input's resolution; the registry adds the
float32 softmax.
"""
