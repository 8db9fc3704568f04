"""VGG-16 and VGG-19 (with batch norm, as they train from scratch here)."""

from .common import StrideTracker, conv_bn_act, filters, pool

# 3x3 convolutions per stage (SegNet's decoder mirrors them).
STAGE_CONVS = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
_STAGE_FILTERS = (64, 128, 256, 512, 512)


def build(inputs, output_stride, width, depth=16):
    """Five conv stages, each closed by a pooling; taps after each pooling."""
    tracker = StrideTracker(output_stride)
    taps = {}
    x = inputs
    for convs, n in zip(STAGE_CONVS[depth], _STAGE_FILTERS):
        for _ in range(convs):
            x = conv_bn_act(x, filters(n, width), rate=tracker.rate)
        strides, _ = tracker.down()
        x = pool(x, strides)
        taps[tracker.nominal] = x
    return taps
