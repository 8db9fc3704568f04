"""DeepLabV3 (ASPP) and DeepLabV3+ (ASPP plus a stride-4 decoder)."""

from keras import layers

from .common import classify, concat, conv_bn_act, filters, resize_like, tap, to_input


def aspp(x, n, output_stride):
    """Atrous spatial pyramid pooling; rates 6, 12, 18 at output stride 16."""
    rates = [max(1, round(r * 16 / output_stride)) for r in (6, 12, 18)]
    branches = [conv_bn_act(x, n, kernel=1)]
    branches += [conv_bn_act(x, n, rate=r) for r in rates]
    pooled = layers.GlobalAveragePooling2D(keepdims=True)(x)
    pooled = conv_bn_act(pooled, n, kernel=1)
    branches.append(resize_like(pooled, x))
    y = conv_bn_act(concat(branches), n, kernel=1)
    return layers.Dropout(0.1)(y)


def build_v3(inputs, encode, n_classes, output_stride, width):
    x = aspp(tap(encode(inputs), 32), filters(256, width), output_stride)
    return to_input(classify(x, n_classes), inputs)


def build_v3p(inputs, encode, n_classes, output_stride, width):
    taps = encode(inputs)
    x = aspp(tap(taps, 32), filters(256, width), output_stride)
    low = conv_bn_act(tap(taps, 4), filters(48, width), kernel=1)
    x = concat([resize_like(x, low), low])
    x = conv_bn_act(x, filters(256, width), separable=True)
    x = conv_bn_act(x, filters(256, width), separable=True)
    return to_input(classify(x, n_classes), inputs)
