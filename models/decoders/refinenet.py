"""RefineNet (4-cascaded): RefineNet blocks fuse taps 32, 16, 8 and 4.

Each block runs residual conv units (RCU) on every input, fuses them at the
finest resolution (multi-resolution fusion), applies chained residual
pooling (CRP) and a last RCU.
"""

from keras import layers

from .common import classify, filters, resize_like, tap, to_input


def _rcu(x, n):
    """Residual conv unit: ReLU-conv-ReLU-conv plus identity."""
    y = layers.Activation("relu")(x)
    y = layers.Conv2D(n, 3, padding="same")(y)
    y = layers.Activation("relu")(y)
    y = layers.Conv2D(n, 3, padding="same")(y)
    return layers.Add()([x, y])


def _crp(x, n, stages=2):
    """Chained residual pooling: pool 5x5, conv, accumulate."""
    x = layers.Activation("relu")(x)
    total, path = x, x
    for _ in range(stages):
        path = layers.MaxPooling2D(5, strides=1, padding="same")(path)
        path = layers.Conv2D(n, 3, padding="same", use_bias=False)(path)
        total = layers.Add()([total, path])
    return total


def _refine_block(features, n):
    """Fuse a list of features; the first one is the finest."""
    paths = []
    for f in features:
        f = layers.Conv2D(n, 3, padding="same")(f)
        paths.append(_rcu(_rcu(f, n), n))
    if len(paths) > 1:
        fine = paths[0]
        fused = [layers.Conv2D(n, 3, padding="same")(p) for p in paths]
        x = layers.Add()([fused[0]] + [resize_like(p, fine) for p in fused[1:]])
    else:
        x = paths[0]
    return _rcu(_crp(x, n), n)


def build(inputs, encode, n_classes, output_stride, width):
    taps = encode(inputs)
    x = _refine_block([tap(taps, 32)], filters(512, width))
    for stride in (16, 8, 4):
        x = _refine_block([tap(taps, stride), x], filters(256, width))
    x = _rcu(_rcu(x, filters(256, width)), filters(256, width))
    x = layers.Dropout(0.1)(x)
    return to_input(classify(x, n_classes), inputs)
