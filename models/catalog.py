"""What the model zoo offers, as plain data.

This module is imported inside QGIS (the Train Model dialog builds its
choices from it), so it imports nothing but the standard library: TensorFlow
and Keras must never load there. Each decoder and each encoder is one row of
``DECODER_ROWS`` / ``ENCODER_ROWS``: its name, the module and function that
build it with their keyword arguments, its title and description, and what it
pairs with. ``registry.py`` imports the builders the rows name; the dialog,
the docs and the tests read the same rows through the functions below, so
they cannot drift. Adding an encoder is a builder in ``encoders/`` and one
row here.

Encoders (backbones) turn the input into features at strides 2..32 (the
"taps"); decoders (heads) ask for the taps they need. With an output stride of
8 or 16 the last encoder stages keep their resolution and dilate their
convolutions instead (as DeepLab does), so every tap deeper than the output
stride has the output stride's resolution.

Native encoders: ``unet_native`` (the classic U-Net contracting path of
double 3x3 convolutions) and ``resunet_native`` (ResUNet's residual
contracting path) are encoder-free variants that only their own decoder
accepts.
"""

from collections import namedtuple

# An encoder: its name (the value of ENCODER), the builder that makes it
# (``function`` of ``models/encoders/<module>.py``, called as
# ``function(inputs, output_stride, width, **kwargs)``), its short title (the
# dialog's label), a one-line description, and whether Keras Applications
# publishes ImageNet weights for its layout (ENCODER_WEIGHTS=imagenet; the
# files are listed in models/imagenet.py).
Encoder = namedtuple("Encoder", "name module function kwargs title description imagenet",
                     defaults=(False,))

# A decoder: name, builder (``function`` of ``models/decoders/<module>.py``,
# called as ``function(inputs, encode, n_classes, output_stride, width,
# **kwargs)``), title, description, the encoder it is usually paired with, and:
# encoders: None when it takes every generic encoder, else the encoders it
#     takes, each with the keyword arguments it adds to the builder's;
# native: encoders of its own that it accepts too (listed first);
# strides: the output strides it offers;
# encoder_input_stride: the encoder sees the input downsampled by this factor;
# widths: {encoder: width multiplier} for pairs that start at another width
#     than DEFAULT_WIDTH;
# image_context: the prediction depends on the whole input (a global average
#     pooling branch, as ASPP's image pooling in deeplab_v3/deeplab_v3p, or a 1x1
#     pyramid bin, as in pspnet and icnet): Predict Raster keeps the training
#     tile for it. dense_aspp (atrous convolutions only) and refinenet (5x5
#     pooling, stride 1) are fully convolutional;
# context_margin: input pixels from a window edge beyond which padding barely
#     changes a prediction (the effective receptive field, much smaller than the
#     theoretical one): Predict Raster's automatic overlap. U-Net-like decoders
#     refine at stride 2..4 with 3x3 convolutions (about 64 px); FCN upsamples
#     stride-8..32 scores (96 px); DenseASPP chains dilations up to 24 at stride
#     8 (128 px).
DEFAULT_CONTEXT_MARGIN = 64
Decoder = namedtuple(
    "Decoder",
    "name module function kwargs title description default_encoder "
    "encoders native strides encoder_input_stride widths image_context context_margin",
    defaults=(None, (), (8, 16, 32), 1, None, False, DEFAULT_CONTEXT_MARGIN),
)

DECODER_ROWS = (
    Decoder("unet", "unet", "build", {"block": "double_conv"}, "U-Net",
            "U-Net: encoder features joined to the decoder by skip connections at every stride.",
            "unet_native", native=("unet_native",),
            # The plain U-Net at 3/8 of its filters (about 1.9 M parameters), the
            # default network for a few hundred chips from scratch on a CPU. On
            # the Landsat-8 hold-out (bench/defaults_vs_baseline.py, medians of
            # 3 alternating runs, bench/results/defaults_vs_baseline.txt) it
            # reached mIoU 0.653 against a plain 1.9 M U-Net script's 0.496 in
            # 0.76x its training time; width 0.5 scored the same (0.665) in
            # 1.15x the baseline's time (defaults_vs_baseline_w05.txt).
            widths={"unet_native": 0.375}),
    Decoder("resunet", "unet", "build", {"block": "residual"}, "ResUNet",
            "ResUNet: U-Net with residual convolution blocks in the decoder (and its native encoder).",
            "resunet_native", native=("resunet_native",)),
    # MobileUNet is U-Net with depthwise-separable blocks over MobileNetV2.
    Decoder("mobile_unet", "unet", "build", {"block": "separable"}, "MobileUNet",
            "MobileUNet: U-Net with depthwise-separable decoder blocks over MobileNetV2; light and fast.",
            "mobilenet_v2", encoders={"mobilenet_v2": {}}),
    # SegNet's decoder mirrors the VGG encoder's conv stages one to one.
    Decoder("segnet", "segnet", "build", {}, "SegNet",
            "SegNet: a decoder that mirrors the VGG encoder stage by stage (bilinear upsampling, no pooling indices).",
            "vgg_16", encoders={"vgg_16": {"depth": 16}, "vgg_19": {"depth": 19}}),
    Decoder("fcn_8s", "fcn", "build", {"skips": (16, 8)}, "FCN-8s",
            "FCN-8s: fully convolutional scores fused from strides 32, 16 and 8.", "vgg_16", context_margin=96),
    Decoder("fcn_16s", "fcn", "build", {"skips": (16,)}, "FCN-16s",
            "FCN-16s: fully convolutional scores fused from strides 32 and 16.", "vgg_16", context_margin=96),
    Decoder("fcn_32s", "fcn", "build", {}, "FCN-32s",
            "FCN-32s: fully convolutional scores from stride 32, upsampled once.", "vgg_16", context_margin=96),
    Decoder("pspnet", "pspnet", "build", {}, "PSPNet",
            "PSPNet: pyramid pooling (1, 2, 3, 6 bins) over the deepest features for global context.",
            "resnet_v1_50", image_context=True),
    Decoder("refinenet", "refinenet", "build", {}, "RefineNet",
            "RefineNet: multi-path refinement with residual conv units and chained residual pooling.",
            "resnet_v2_101"),
    Decoder("deeplab_v3", "deeplab", "build_v3", {}, "DeepLabV3",
            "DeepLabV3: atrous spatial pyramid pooling (ASPP) with image-level features.",
            "resnet_v2_50", image_context=True),
    Decoder("deeplab_v3p", "deeplab", "build_v3p", {}, "DeepLabV3+",
            "DeepLabV3+: ASPP plus a light decoder that sharpens edges with stride-4 features.",
            "xception_41", image_context=True),
    Decoder("dense_aspp", "dense_aspp", "build", {}, "DenseASPP",
            "DenseASPP: densely connected atrous convolutions covering many scales.",
            "densenet_121", context_margin=128),
    Decoder("srinet", "srinet", "build", {}, "SRI-Net",
            "SRI-Net: spatial residual inception modules and a multi-level decoder, made for building extraction.",
            "resnet_v2_101"),
    # ICNet runs its encoder on the quarter-resolution input; at stride 32 that
    # would need inputs that are multiples of 128.
    Decoder("icnet", "icnet", "build", {}, "ICNet",
            "ICNet: image cascade of full, half and quarter resolution branches with cascade feature fusion; fast.",
            "resnet_v1_50", strides=(8, 16), encoder_input_stride=4, image_context=True),
)

ENCODER_ROWS = (
    Encoder("mobilenet_v2", "mobilenet_v2", "build", {}, "MobileNetV2",
            "MobileNetV2: inverted residual blocks; small and fast on a CPU.", imagenet=True),
    Encoder("vgg_16", "vgg", "build", {"depth": 16}, "VGG-16",
            "VGG-16: thirteen 3x3 convolutions in five stages.", imagenet=True),
    Encoder("vgg_19", "vgg", "build", {"depth": 19}, "VGG-19",
            "VGG-19: sixteen 3x3 convolutions in five stages.", imagenet=True),
    Encoder("resnet_v1_50", "resnet", "build", {"depth": 50, "version": 1}, "ResNet-50 v1",
            "ResNet-50 v1: bottleneck residual blocks, post-activation."),
    Encoder("resnet_v2_50", "resnet", "build", {"depth": 50}, "ResNet-50 v2",
            "ResNet-50 v2: bottleneck residual blocks, pre-activation."),
    Encoder("resnet_v2_101", "resnet", "build", {"depth": 101}, "ResNet-101 v2",
            "ResNet-101 v2: bottleneck residual blocks, pre-activation."),
    Encoder("resnet_v2_152", "resnet", "build", {"depth": 152}, "ResNet-152 v2",
            "ResNet-152 v2: bottleneck residual blocks, pre-activation."),
    Encoder("resnet_v2_200", "resnet", "build", {"depth": 200}, "ResNet-200 v2",
            "ResNet-200 v2: bottleneck residual blocks, pre-activation."),
    Encoder("resnet_v2_50_separable", "resnet", "build", {"depth": 50, "separable": True},
            "ResNet-50 v2, separable",
            "ResNet-50 v2 with depthwise-separable 3x3 convolutions; lighter."),
    Encoder("resnet_v2_101_separable", "resnet", "build", {"depth": 101, "separable": True},
            "ResNet-101 v2, separable",
            "ResNet-101 v2 with depthwise-separable 3x3 convolutions; lighter."),
    Encoder("resnet_v2_152_separable", "resnet", "build", {"depth": 152, "separable": True},
            "ResNet-152 v2, separable",
            "ResNet-152 v2 with depthwise-separable 3x3 convolutions; lighter."),
    Encoder("resnet_v2_200_separable", "resnet", "build", {"depth": 200, "separable": True},
            "ResNet-200 v2, separable",
            "ResNet-200 v2 with depthwise-separable 3x3 convolutions; lighter."),
    Encoder("xception_41", "xception", "build", {}, "Xception-41",
            "Xception-41: the aligned Xception of DeepLabV3+, separable convolutions throughout."),
    Encoder("resnet50_keras", "resnet_keras", "build_v1", {"depth": 50},
            "ResNet50 (Keras Applications)",
            "ResNet-50 v1 in Keras Applications' layout (strided 1x1 convolutions), for its ImageNet weights.",
            imagenet=True),
    Encoder("resnet50_v2_keras", "resnet_keras", "build_v2", {"depth": 50},
            "ResNet50V2 (Keras Applications)",
            "ResNet-50 v2 in Keras Applications' layout (each stage strides in its last unit), for its ImageNet weights.",
            imagenet=True),
    Encoder("resnet101_v2_keras", "resnet_keras", "build_v2", {"depth": 101},
            "ResNet101V2 (Keras Applications)",
            "ResNet-101 v2 in Keras Applications' layout (each stage strides in its last unit), for its ImageNet weights.",
            imagenet=True),
    Encoder("resnet152_v2_keras", "resnet_keras", "build_v2", {"depth": 152},
            "ResNet152V2 (Keras Applications)",
            "ResNet-152 v2 in Keras Applications' layout (each stage strides in its last unit), for its ImageNet weights.",
            imagenet=True),
    Encoder("xception_keras", "xception_keras", "build", {}, "Xception (Keras Applications)",
            "Xception as Keras Applications publishes it (max pooling in the entry flow), for its ImageNet weights.",
            imagenet=True),
    Encoder("densenet_121", "densenet", "build", {"depth": 121}, "DenseNet-121",
            "DenseNet-121: densely connected blocks (6, 12, 24, 16 layers).", imagenet=True),
    Encoder("densenet_169", "densenet", "build", {"depth": 169}, "DenseNet-169",
            "DenseNet-169: densely connected blocks (6, 12, 32, 32 layers).", imagenet=True),
    Encoder("unet_native", "native", "build_unet", {}, "U-Net native (unet only)",
            "U-Net's own contracting path (double 3x3 convolutions); only for unet."),
    Encoder("resunet_native", "native", "build_resunet", {}, "ResUNet native (resunet only)",
            "ResUNet's own residual contracting path; only for resunet."),
)

DECODERS = tuple(row.name for row in DECODER_ROWS)
ENCODERS = tuple(row.name for row in ENCODER_ROWS)
_ROWS = {row.name: row for row in DECODER_ROWS + ENCODER_ROWS}

# Encoders that belong to one decoder (``native``); every other is generic.
_NATIVE_ENCODERS = frozenset(e for row in DECODER_ROWS for e in row.native)
_GENERIC_ENCODERS = tuple(e for e in ENCODERS if e not in _NATIVE_ENCODERS)

# Encoders whose layout is Keras Applications' own, so that the ImageNet
# weights Keras publishes load onto them (ENCODER_WEIGHTS=imagenet).
IMAGENET_ENCODERS = tuple(row.name for row in ENCODER_ROWS if row.imagenet)

DEFAULT_DECODER = "unet"
DEFAULT_ENCODER = "unet_native"
DEFAULT_WIDTH = 1.0
DEFAULT_OUTPUT_STRIDE = 16


def decoder_row(decoder):
    """The ``Decoder`` row of ``decoder``; ValueError listing the valid names."""
    if decoder not in DECODERS:
        raise ValueError(
            f"Unknown decoder {decoder!r}; valid decoders: {', '.join(DECODERS)}."
        )
    return _ROWS[decoder]


def encoder_row(encoder):
    """The ``Encoder`` row of ``encoder``; ValueError listing the valid names."""
    if encoder not in ENCODERS:
        raise ValueError(
            f"Unknown encoder {encoder!r}; valid encoders: {', '.join(ENCODERS)}."
        )
    return _ROWS[encoder]


def compatible_encoders(decoder):
    """Encoder names that ``decoder`` accepts, native ones first."""
    row = decoder_row(decoder)
    generic = _GENERIC_ENCODERS if row.encoders is None else tuple(row.encoders)
    return list(row.native) + list(generic)


def is_compatible(decoder, encoder):
    """True when ``decoder`` can be built over ``encoder``."""
    return decoder in DECODERS and encoder in compatible_encoders(decoder)


def valid_pairs():
    """Every (decoder, encoder) pair the registry can build, in display order."""
    return [(d, e) for d in DECODERS for e in compatible_encoders(d)]


def pair_problem(decoder, encoder, output_stride=None):
    """What stops ``decoder`` + ``encoder`` (at ``output_stride``, when given) from
    being built: None when nothing does, else ``(template, values)``, an English
    ``str.format`` template naming the parameter (MODEL, ENCODER, OUTPUT_STRIDE)
    and its values, for the caller to raise as its own error (the engine's
    InputError, which the plugin translates; the registry's ValueError). The one
    validity check of a network's names: the registry, the training plan and the
    dialogs all ask this."""
    if decoder not in DECODERS:
        return ("{name} {value} is not valid; choose one of {valid}.",
                {"name": "MODEL", "value": repr(decoder), "valid": ", ".join(DECODERS)})
    if encoder not in ENCODERS:
        return ("{name} {value} is not valid; choose one of {valid}.",
                {"name": "ENCODER", "value": repr(encoder), "valid": ", ".join(ENCODERS)})
    if not is_compatible(decoder, encoder):
        return ("ENCODER {encoder} does not fit MODEL {model}; choose one of "
                "{compatible_encoders}.",
                {"encoder": repr(encoder), "model": repr(decoder),
                 "compatible_encoders": ", ".join(compatible_encoders(decoder))})
    if output_stride is not None:
        strides = output_strides(decoder, encoder)
        if int(output_stride) not in strides:
            return ("OUTPUT_STRIDE {output_stride} is not supported by {model} + {encoder}; "
                    "choose one of {strides}.",
                    {"output_stride": output_stride, "model": decoder, "encoder": encoder,
                     "strides": strides})
    return None


def has_image_context(decoder):
    """True for decoders whose prediction depends on the whole input (global pooling);
    False for unknown names."""
    return decoder in DECODERS and _ROWS[decoder].image_context


def context_margin(decoder):
    """The decoder's context margin in input pixels (the default for unknown names)."""
    return _ROWS[decoder].context_margin if decoder in DECODERS else DEFAULT_CONTEXT_MARGIN


def default_encoder(decoder):
    """The encoder a decoder is usually paired with."""
    return decoder_row(decoder).default_encoder


def default_width(decoder, encoder):
    """The width multiplier ``decoder`` + ``encoder`` starts with."""
    return (decoder_row(decoder).widths or {}).get(encoder, DEFAULT_WIDTH)


def output_strides(decoder, encoder):
    """Output strides (ratio of input to deepest feature size) a pair supports."""
    if not is_compatible(decoder, encoder):
        return []
    return list(decoder_row(decoder).strides)


def required_divisor(decoder, encoder, output_stride):
    """Input height and width must be multiples of this number."""
    if output_stride not in output_strides(decoder, encoder):
        raise ValueError(
            f"Output stride {output_stride} is not supported by {decoder} + "
            f"{encoder}; supported: {output_strides(decoder, encoder)}."
        )
    return decoder_row(decoder).encoder_input_stride * output_stride


def describe(name):
    """One-line English description of a decoder or encoder."""
    if name not in _ROWS:
        raise ValueError(
            f"Unknown model name {name!r}; valid decoders: {', '.join(DECODERS)}; "
            f"valid encoders: {', '.join(ENCODERS)}."
        )
    return _ROWS[name].description


def title(name):
    """Short display name of a decoder or encoder ("DeepLabV3+" for ``deeplab_v3p``)."""
    describe(name)  # the error for an unknown name
    return _ROWS[name].title
