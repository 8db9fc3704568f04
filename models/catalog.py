"""What the model zoo offers, as plain data.

This module is imported inside QGIS (the Train Model dialog builds its
choices from it), so it imports nothing but the standard library: TensorFlow
and Keras must never load there. ``registry.py`` builds the networks named
here; the tests and the dialog read the same tables, so they cannot drift.

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

DECODERS = (
    "unet",
    "resunet",
    "mobile_unet",
    "segnet",
    "fcn_8s",
    "fcn_16s",
    "fcn_32s",
    "pspnet",
    "refinenet",
    "deeplab_v3",
    "deeplab_v3p",
    "dense_aspp",
    "srinet",
    "icnet",
)

ENCODERS = (
    "mobilenet_v2",
    "vgg_16",
    "vgg_19",
    "resnet_v1_50",
    "resnet_v2_50",
    "resnet_v2_101",
    "resnet_v2_152",
    "resnet_v2_200",
    "resnet_v2_50_separable",
    "resnet_v2_101_separable",
    "resnet_v2_152_separable",
    "resnet_v2_200_separable",
    "xception_41",
    "densenet_121",
    "densenet_169",
    "unet_native",
    "resunet_native",
)

# Encoders that any generic decoder accepts (not the native ones).
_GENERIC_ENCODERS = tuple(e for e in ENCODERS if not e.endswith("_native"))

# Decoders restricted to some encoders; all others take _GENERIC_ENCODERS.
_RESTRICTED = {
    # MobileUNet is U-Net with depthwise-separable blocks over MobileNetV2.
    "mobile_unet": ("mobilenet_v2",),
    # SegNet's decoder mirrors the VGG encoder's conv stages one to one.
    "segnet": ("vgg_16", "vgg_19"),
}

# Native encoders a decoder accepts on top of its generic ones, listed first.
_NATIVE = {
    "unet": ("unet_native",),
    "resunet": ("resunet_native",),
}

_DEFAULT_ENCODER = {
    "unet": "unet_native",
    "resunet": "resunet_native",
    "mobile_unet": "mobilenet_v2",
    "segnet": "vgg_16",
    "fcn_8s": "vgg_16",
    "fcn_16s": "vgg_16",
    "fcn_32s": "vgg_16",
    "pspnet": "resnet_v1_50",
    "refinenet": "resnet_v2_101",
    "deeplab_v3": "resnet_v2_50",
    "deeplab_v3p": "xception_41",
    "dense_aspp": "densenet_121",
    "srinet": "resnet_v2_101",
    "icnet": "resnet_v1_50",
}

# Encoders whose layout is Keras Applications' own, so that the ImageNet
# weights Keras publishes load onto them (ENCODER_WEIGHTS=imagenet; the table
# of files is models/imagenet.py).
IMAGENET_ENCODERS = (
    "mobilenet_v2",
    "vgg_16",
    "vgg_19",
    "densenet_121",
    "densenet_169",
)

DEFAULT_DECODER = "unet"
DEFAULT_ENCODER = "unet_native"
DEFAULT_WIDTH = 1.0
# Width multipliers other than DEFAULT_WIDTH that a pair starts with (WIDTH 0 =
# "the pair's default"): the plain U-Net at half its filters (about 3.4 M
# parameters), the default network for a few hundred chips from scratch on a
# CPU. On the demo's Landsat hold-out (one run each, bench/results/
# demo_networks.txt) it beat the quarter width (0.43 mIoU) and unet +
# mobilenet_v2 (0.61), and came close to the full width (0.69) in a third of
# its time; bench/defaults_bench.py measures the quarter width against a
# plain baseline (bench/results/defaults.txt).
_DEFAULT_WIDTH = {("unet", "unet_native"): 0.5}
DEFAULT_OUTPUT_STRIDE = 16

_ALL_STRIDES = (8, 16, 32)
# ICNet runs its encoder on the quarter-resolution input; at stride 32 that
# would need inputs that are multiples of 128.
_STRIDES = {"icnet": (8, 16)}

_DESCRIPTIONS = {
    "unet": "U-Net: encoder features joined to the decoder by skip connections at every stride.",
    "resunet": "ResUNet: U-Net with residual convolution blocks in the decoder (and its native encoder).",
    "mobile_unet": "MobileUNet: U-Net with depthwise-separable decoder blocks over MobileNetV2; light and fast.",
    "segnet": "SegNet: a decoder that mirrors the VGG encoder stage by stage (bilinear upsampling, no pooling indices).",
    "fcn_8s": "FCN-8s: fully convolutional scores fused from strides 32, 16 and 8.",
    "fcn_16s": "FCN-16s: fully convolutional scores fused from strides 32 and 16.",
    "fcn_32s": "FCN-32s: fully convolutional scores from stride 32, upsampled once.",
    "pspnet": "PSPNet: pyramid pooling (1, 2, 3, 6 bins) over the deepest features for global context.",
    "refinenet": "RefineNet: multi-path refinement with residual conv units and chained residual pooling.",
    "deeplab_v3": "DeepLabV3: atrous spatial pyramid pooling (ASPP) with image-level features.",
    "deeplab_v3p": "DeepLabV3+: ASPP plus a light decoder that sharpens edges with stride-4 features.",
    "dense_aspp": "DenseASPP: densely connected atrous convolutions covering many scales.",
    "srinet": "SRI-Net: spatial residual inception modules and a multi-level decoder, made for building extraction.",
    "icnet": "ICNet: image cascade of full, half and quarter resolution branches with cascade feature fusion; fast.",
    "mobilenet_v2": "MobileNetV2: inverted residual blocks; small and fast on a CPU.",
    "vgg_16": "VGG-16: thirteen 3x3 convolutions in five stages.",
    "vgg_19": "VGG-19: sixteen 3x3 convolutions in five stages.",
    "resnet_v1_50": "ResNet-50 v1: bottleneck residual blocks, post-activation.",
    "resnet_v2_50": "ResNet-50 v2: bottleneck residual blocks, pre-activation.",
    "resnet_v2_101": "ResNet-101 v2: bottleneck residual blocks, pre-activation.",
    "resnet_v2_152": "ResNet-152 v2: bottleneck residual blocks, pre-activation.",
    "resnet_v2_200": "ResNet-200 v2: bottleneck residual blocks, pre-activation.",
    "resnet_v2_50_separable": "ResNet-50 v2 with depthwise-separable 3x3 convolutions; lighter.",
    "resnet_v2_101_separable": "ResNet-101 v2 with depthwise-separable 3x3 convolutions; lighter.",
    "resnet_v2_152_separable": "ResNet-152 v2 with depthwise-separable 3x3 convolutions; lighter.",
    "resnet_v2_200_separable": "ResNet-200 v2 with depthwise-separable 3x3 convolutions; lighter.",
    "xception_41": "Xception-41: the aligned Xception of DeepLabV3+, separable convolutions throughout.",
    "densenet_121": "DenseNet-121: densely connected blocks (6, 12, 24, 16 layers).",
    "densenet_169": "DenseNet-169: densely connected blocks (6, 12, 32, 32 layers).",
    "unet_native": "U-Net's own contracting path (double 3x3 convolutions); only for unet.",
    "resunet_native": "ResUNet's own residual contracting path; only for resunet.",
}


# Short display names (the dialog's labels; the names above are the values).
_TITLES = {
    "unet": "U-Net",
    "resunet": "ResUNet",
    "mobile_unet": "MobileUNet",
    "segnet": "SegNet",
    "fcn_8s": "FCN-8s",
    "fcn_16s": "FCN-16s",
    "fcn_32s": "FCN-32s",
    "pspnet": "PSPNet",
    "refinenet": "RefineNet",
    "deeplab_v3": "DeepLabV3",
    "deeplab_v3p": "DeepLabV3+",
    "dense_aspp": "DenseASPP",
    "srinet": "SRI-Net",
    "icnet": "ICNet",
    "mobilenet_v2": "MobileNetV2",
    "vgg_16": "VGG-16",
    "vgg_19": "VGG-19",
    "resnet_v1_50": "ResNet-50 v1",
    "resnet_v2_50": "ResNet-50 v2",
    "resnet_v2_101": "ResNet-101 v2",
    "resnet_v2_152": "ResNet-152 v2",
    "resnet_v2_200": "ResNet-200 v2",
    "resnet_v2_50_separable": "ResNet-50 v2, separable",
    "resnet_v2_101_separable": "ResNet-101 v2, separable",
    "resnet_v2_152_separable": "ResNet-152 v2, separable",
    "resnet_v2_200_separable": "ResNet-200 v2, separable",
    "xception_41": "Xception-41",
    "densenet_121": "DenseNet-121",
    "densenet_169": "DenseNet-169",
    "unet_native": "U-Net native (unet only)",
    "resunet_native": "ResUNet native (resunet only)",
}


def _check_decoder(decoder):
    if decoder not in DECODERS:
        raise ValueError(
            f"Unknown decoder {decoder!r}; valid decoders: {', '.join(DECODERS)}."
        )


def compatible_encoders(decoder):
    """Encoder names that ``decoder`` accepts, native ones first."""
    _check_decoder(decoder)
    generic = _RESTRICTED.get(decoder, _GENERIC_ENCODERS)
    return list(_NATIVE.get(decoder, ())) + list(generic)


def is_compatible(decoder, encoder):
    """True when ``decoder`` can be built over ``encoder``."""
    return decoder in DECODERS and encoder in compatible_encoders(decoder)


def valid_pairs():
    """Every (decoder, encoder) pair the registry can build, in display order."""
    return [(d, e) for d in DECODERS for e in compatible_encoders(d)]


def default_encoder(decoder):
    """The encoder a decoder is usually paired with."""
    _check_decoder(decoder)
    return _DEFAULT_ENCODER[decoder]


def default_width(decoder, encoder):
    """The width multiplier ``decoder`` + ``encoder`` starts with."""
    return _DEFAULT_WIDTH.get((decoder, encoder), DEFAULT_WIDTH)


def output_strides(decoder, encoder):
    """Output strides (ratio of input to deepest feature size) a pair supports."""
    if not is_compatible(decoder, encoder):
        return []
    return list(_STRIDES.get(decoder, _ALL_STRIDES))


def required_divisor(decoder, encoder, output_stride):
    """Input height and width must be multiples of this number."""
    if output_stride not in output_strides(decoder, encoder):
        raise ValueError(
            f"Output stride {output_stride} is not supported by {decoder} + "
            f"{encoder}; supported: {output_strides(decoder, encoder)}."
        )
    if decoder == "icnet":
        # The encoder sees the input at quarter resolution.
        return 4 * output_stride
    return output_stride


def describe(name):
    """One-line English description of a decoder or encoder."""
    try:
        return _DESCRIPTIONS[name]
    except KeyError:
        raise ValueError(
            f"Unknown model name {name!r}; valid decoders: {', '.join(DECODERS)}; "
            f"valid encoders: {', '.join(ENCODERS)}."
        ) from None


def title(name):
    """Short display name of a decoder or encoder ("DeepLabV3+" for ``deeplab_v3p``)."""
    describe(name)  # the error for an unknown name
    return _TITLES.get(name, name)
