"""Every encoder keeps its contract, every decoder builds over an encoder.

The default run checks every encoder row's contract (its taps, each tap's
resolution: the stride, or the output stride past it, where the encoder
dilates instead) at the default output stride, and at output strides 8 and 32
for a few encoders; and each decoder once, over a small encoder (its own
native one, or the smallest it accepts), at a tiny width, the band counts 1, 3
and 7 taken in turn. With ``SEMSEG_SLOW_TESTS=1`` every valid pair
(``catalog.valid_pairs()``, the data the Train Model dialog reads) is built
for all three band counts too.
"""

import os

import keras
import numpy as np
import pytest

from semantic_segmentation.models import catalog, initial_weights
import semantic_segmentation.models.registry as registry

WIDTH = 0.0625
BANDS = (1, 3, 7)
SLOW = os.environ.get("SEMSEG_SLOW_TESTS") == "1"
# The generic encoders quickest to build, in order of preference.
SMALL_ENCODERS = ("vgg_16", "mobilenet_v2")
SIZE = 64


def check_pair(decoder, encoder, bands, output_stride=catalog.DEFAULT_OUTPUT_STRIDE, n_classes=2):
    keras.backend.clear_session()
    size = max(SIZE, catalog.required_divisor(decoder, encoder, output_stride))
    model = registry.build_model(
        decoder, encoder, n_classes, bands, output_stride=output_stride,
        input_size=size, width=WIDTH, seed=0,  # every decoder's initializers drawn again
    )
    assert tuple(model.input_shape) == (None, None, None, bands)
    x = np.random.default_rng(0).random((1, size, size, bands), dtype=np.float32)
    y = model(x, training=False)
    assert tuple(y.shape) == (1, size, size, n_classes)
    assert keras.backend.standardize_dtype(y.dtype) == "float32"
    np.testing.assert_allclose(np.asarray(y).sum(-1), 1.0, rtol=1e-4)


def check_encoder(encoder, output_stride, bands=3):
    """The encoder's taps are strides 2..32 (1 too for the native ones), each
    at the resolution min(stride, output stride); past the output stride the
    encoder dilates its convolutions instead of striding."""
    keras.backend.clear_session()
    model = registry.build_encoder(encoder, bands, output_stride, width=WIDTH)
    assert initial_weights.redraw(model, 0) > 0  # every encoder's initializers are known
    strides = (1, 2, 4, 8, 16, 32) if encoder.endswith("_native") else (2, 4, 8, 16, 32)
    assert sorted(model.output) == sorted(f"stride_{s}" for s in strides)
    taps = model(np.zeros((1, SIZE, SIZE, bands), np.float32), training=False)
    for stride in strides:
        side = SIZE // min(stride, output_stride)
        assert tuple(taps[f"stride_{stride}"].shape[:3]) == (1, side, side), (encoder, stride)
    dilated = [layer.name for layer in model.layers
               if max(getattr(layer, "dilation_rate", (1,))) > 1]
    return dilated


def test_every_catalog_row_names_a_builder():
    for encoder in catalog.ENCODERS:
        assert callable(registry.encoder_builder(encoder))
    for decoder, encoder in catalog.valid_pairs():
        assert callable(registry.decoder_builder(decoder, encoder))


@pytest.mark.parametrize("encoder", catalog.ENCODERS)
def test_encoder_taps_at_default_output_stride(encoder):
    check_encoder(encoder, catalog.DEFAULT_OUTPUT_STRIDE)


@pytest.mark.parametrize("encoder", ["mobilenet_v2", "resnet_v2_50", "unet_native",
                                     "resnet50_keras", "resnet50_v2_keras", "xception_keras"])
@pytest.mark.parametrize("output_stride", [8, 32])
def test_encoder_dilates_past_the_output_stride(encoder, output_stride):
    dilated = check_encoder(encoder, output_stride)
    assert bool(dilated) == (output_stride == 8), dilated


def _small_encoder(decoder):
    compatible = catalog.compatible_encoders(decoder)
    native = [e for e in compatible if e.endswith("_native")]
    return (native or [e for e in SMALL_ENCODERS if e in compatible])[0]


@pytest.mark.parametrize("decoder", catalog.DECODERS)
def test_decoder_builds_over_a_small_encoder(decoder):
    check_pair(decoder, _small_encoder(decoder), BANDS[catalog.DECODERS.index(decoder) % len(BANDS)])


@pytest.mark.parametrize("output_stride", [8, 32])
def test_other_output_strides(output_stride):
    check_pair("deeplab_v3p", "mobilenet_v2", 4, output_stride=output_stride)


@pytest.mark.skipif(not SLOW, reason="SEMSEG_SLOW_TESTS=1 builds every valid pair")
@pytest.mark.parametrize("decoder,encoder", catalog.valid_pairs())
def test_every_valid_pair_builds(decoder, encoder):
    for bands in BANDS:
        check_pair(decoder, encoder, bands)


def test_predicts_on_larger_windows_than_trained():
    keras.backend.clear_session()
    model = registry.build_model("pspnet", "mobilenet_v2", 3, 4, width=WIDTH)
    for size in (64, 128):
        assert model.predict(np.zeros((1, size, size, 4), np.float32), verbose=0).shape == (1, size, size, 3)


def test_mixed_precision_keeps_float32_output():
    keras.backend.clear_session()
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = registry.build_model("icnet", "mobilenet_v2", 2, 3, width=WIDTH)
        y = model(np.zeros((1, 64, 64, 3), np.float32))
        assert keras.backend.standardize_dtype(y.dtype) == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize(
    "args, message",
    [
        (("unet3000", "vgg_16"), "MODEL 'unet3000' is not valid; choose one of .*unet"),
        (("unet", "vgg_3000"), "ENCODER 'vgg_3000' is not valid; choose one of .*mobilenet_v2"),
        (("segnet", "resnet_v2_50"), "choose one of vgg_16, vgg_19"),
        (("deeplab_v3", "unet_native"), "does not fit MODEL"),
    ],
)
def test_bad_names_raise_listing_valid_ones(args, message):
    with pytest.raises(ValueError, match=message):
        registry.build_model(*args, n_classes=2, bands=3)


def test_bad_stride_and_size_raise():
    with pytest.raises(ValueError, match="OUTPUT_STRIDE 4 is not supported"):
        registry.build_model("unet", "vgg_16", 2, 3, output_stride=4)
    with pytest.raises(ValueError, match="multiple of 16"):
        registry.build_model("unet", "vgg_16", 2, 3, input_size=72)
