"""SegNet: a decoder that mirrors VGG's conv stages in reverse.

Upsampling is bilinear (pooling indices would need a custom unpooling
layer); each stage has as many 3x3 convolutions as its encoder twin.
"""

from ..encoders.vgg import STAGE_CONVS
from .common import classify, conv_bn_act, filters, resize_like, tap

_FILTERS = (512, 256, 128, 64, 64)


def build(inputs, encode, n_classes, output_stride, width, depth=16):
    """Over VGG-``depth`` (16 or 19): its stages' conv counts, deepest first."""
    taps = encode(inputs)
    x = tap(taps, 32)
    targets = [tap(taps, s) for s in (16, 8, 4, 2)] + [inputs]
    for convs, n, target in zip(reversed(STAGE_CONVS[depth]), _FILTERS, targets):
        x = resize_like(x, target)
        for _ in range(convs):
            x = conv_bn_act(x, filters(n, width))
    return classify(x, n_classes)
