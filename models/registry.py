"""Build segmentation networks by name.

``build_model("unet", "mobilenet_v2", n_classes=3, bands=4)`` returns a fully
convolutional ``keras.Model`` with input shape ``(None, None, bands)`` and a
float32 softmax over ``n_classes`` channels. The encoder is a nested model
named ``"encoder"`` whose outputs are its taps, so its weights can be saved
(``model.get_layer("encoder").save_weights("enc.weights.h5")``) and given
back to a new model as ``encoder_weights``.

The networks are named by the rows of ``catalog.py``: each row gives the
module (``encoders/<module>.py`` or ``decoders/<module>.py``), the builder
function and its keyword arguments, and this module imports them on demand.
Adding an encoder: its builder in ``encoders/`` and one row in
``catalog.ENCODER_ROWS``; a decoder likewise.
"""

import functools
import importlib

import keras

# layers: registers the custom layers (ResizeLike, ...) that model files need.
from . import catalog, imagenet, initial_weights, layers, weights  # noqa: F401


def _builder(package, row, kwargs):
    module = importlib.import_module(f".{package}.{row.module}", __package__)
    return functools.partial(getattr(module, row.function), **kwargs)


def encoder_builder(encoder_name):
    """``build(inputs, output_stride, width) -> {stride: tap}`` for an encoder."""
    row = catalog.encoder_row(encoder_name)
    return _builder("encoders", row, row.kwargs)


def decoder_builder(model_name, encoder_name):
    """``build(inputs, encode, n_classes, output_stride, width) -> logits`` for
    decoder ``model_name`` over ``encoder_name`` (the row's keyword arguments,
    plus those it names for that encoder)."""
    row = catalog.decoder_row(model_name)
    extra = (row.encoders or {}).get(encoder_name, {})
    return _builder("decoders", row, {**row.kwargs, **extra})


def _tap_name(stride):
    return f"stride_{stride}"


def build_encoder(encoder_name, bands, output_stride=16, width=1.0):
    """The encoder alone: a model whose outputs are ``{"stride_N": tap}``."""
    build = encoder_builder(encoder_name)
    inputs = keras.Input((None, None, bands), name="encoder_input")
    taps = build(inputs, output_stride, width)
    outputs = {_tap_name(s): t for s, t in sorted(taps.items())}
    return keras.Model(inputs, outputs, name="encoder")


def _check(model_name, encoder_name, n_classes, bands, output_stride, input_size):
    problem = catalog.pair_problem(model_name, encoder_name, output_stride)
    if problem:
        template, values = problem
        raise ValueError(template.format(**values))
    if int(n_classes) < 2:
        raise ValueError(f"n_classes must be at least 2 (got {n_classes}).")
    if int(bands) < 1:
        raise ValueError(f"bands must be at least 1 (got {bands}).")
    if input_size is not None:
        divisor = catalog.required_divisor(model_name, encoder_name, output_stride)
        sizes = (input_size, input_size) if isinstance(input_size, int) else tuple(input_size)
        if any(s % divisor for s in sizes):
            raise ValueError(
                f"Input size {input_size} must be a multiple of {divisor} for "
                f"{model_name} + {encoder_name} at output stride {output_stride}."
            )


def build_model(
    model_name,
    encoder_name,
    n_classes,
    bands,
    output_stride=catalog.DEFAULT_OUTPUT_STRIDE,
    input_size=None,
    encoder_weights=None,
    width=1.0,
    name=None,
    seed=None,
):
    """Build decoder ``model_name`` over encoder ``encoder_name``.

    Args:
        model_name: a decoder name from ``catalog.DECODERS``.
        encoder_name: one of ``catalog.compatible_encoders(model_name)``.
        n_classes: softmax channels (2 or more).
        bands: input channels, any count.
        output_stride: 8, 16 or 32 (see ``catalog.output_strides``).
        input_size: optional int or (height, width), only checked against
            ``catalog.required_divisor``; the model accepts any size.
        encoder_weights: ``"imagenet"`` (Keras Applications' published
            weights, see ``imagenet.py``) or a ``.weights.h5`` / ``.keras``
            file for the encoder (see ``weights.load_encoder_weights``).
        width: filter multiplier (small values make tiny test models).
        name: model name; defaults to ``"<model>_<encoder>"``.
        seed: draw the initial weights from NumPy with this seed
            (``initial_weights.redraw``): the same network on every Keras
            backend; None leaves the backend's own draw.

    Raises:
        ValueError: unknown or incompatible names, bad stride, size or counts.
    """
    _check(model_name, encoder_name, n_classes, bands, output_stride, input_size)
    encoder = build_encoder(encoder_name, int(bands), output_stride, width)
    prefix = len("stride_")

    def encode(x):
        return {int(k[prefix:]): v for k, v in encoder(x).items()}

    inputs = keras.Input((None, None, int(bands)), name="image")
    logits = decoder_builder(model_name, encoder_name)(inputs, encode, int(n_classes),
                                                       output_stride, width)
    outputs = keras.layers.Activation("softmax", dtype="float32", name="softmax")(logits)
    model = keras.Model(inputs, outputs, name=name or f"{model_name}_{encoder_name}")
    if seed is not None:
        initial_weights.redraw(model, seed)
    if encoder_weights == "imagenet":
        imagenet.load(encoder, encoder_name)
    elif encoder_weights:
        weights.load_encoder_weights(encoder, encoder_weights)
    return model
