"""Encoders (backbones): one module per family.

Every builder has the signature ``build(inputs, output_stride, width, **kw)``
and returns its taps: a dict ``{nominal_stride: tensor}`` with strides 2, 4,
8, 16 and 32 (native encoders add 1). A tap deeper than the output stride
keeps the output stride's resolution: the stages past it dilate instead of
striding.
"""
