"""Every decoder builds with its encoders for any band count.

Each decoder is built with its default encoder for 1, 3 and 7 bands, each
encoder under U-Net, and every valid pair (from ``catalog.valid_pairs()``, the
data the Train Model dialog reads) with one band count in turn; with
``SEMSEG_SLOW_TESTS=1`` every pair is built for all three band counts.
"""

import os

import keras
import numpy as np
import pytest

from semantic_segmentation.models import catalog
import semantic_segmentation.models.registry as registry

WIDTH = 0.0625
BANDS = (1, 3, 7)


def check_pair(decoder, encoder, bands, output_stride=catalog.DEFAULT_OUTPUT_STRIDE, n_classes=2):
    keras.backend.clear_session()
    size = max(64, catalog.required_divisor(decoder, encoder, output_stride))
    model = registry.build_model(
        decoder, encoder, n_classes, bands, output_stride=output_stride,
        input_size=size, width=WIDTH,
    )
    assert tuple(model.input_shape) == (None, None, None, bands)
    x = np.random.default_rng(0).random((1, size, size, bands), dtype=np.float32)
    y = model(x, training=False)
    assert tuple(y.shape) == (1, size, size, n_classes)
    assert keras.backend.standardize_dtype(y.dtype) == "float32"
    np.testing.assert_allclose(np.asarray(y).sum(-1), 1.0, rtol=1e-4)


@pytest.mark.parametrize("decoder", catalog.DECODERS)
def test_decoder_builds_with_default_encoder(decoder):
    for bands in BANDS:
        check_pair(decoder, catalog.default_encoder(decoder), bands)


@pytest.mark.parametrize("encoder", catalog.compatible_encoders("unet"))
def test_encoder_builds_under_unet(encoder):
    check_pair("unet", encoder, 3, n_classes=5)


@pytest.mark.parametrize("output_stride", [8, 32])
def test_other_output_strides(output_stride):
    check_pair("deeplab_v3p", "resnet_v2_50", 4, output_stride=output_stride)
    check_pair("unet", "unet_native", 4, output_stride=output_stride)


def _pair_cases():
    """Every valid pair, each with one band count in turn (1, 3, 7, 1...), so
    every pair and every band count is built in the default run; with
    SEMSEG_SLOW_TESTS=1 every pair is built with all three."""
    slow = os.environ.get("SEMSEG_SLOW_TESTS") == "1"
    return [(d, e, bands) for i, (d, e) in enumerate(catalog.valid_pairs())
            for bands in (BANDS if slow else (BANDS[i % len(BANDS)],))]


@pytest.mark.parametrize("decoder,encoder,bands", _pair_cases())
def test_every_valid_pair_builds(decoder, encoder, bands):
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
        (("unet3000", "vgg_16"), "valid models: .*unet"),
        (("unet", "vgg_3000"), "valid encoders: .*mobilenet_v2"),
        (("segnet", "resnet_v2_50"), "its encoders: vgg_16, vgg_19"),
        (("deeplab_v3", "unet_native"), "cannot use encoder"),
    ],
)
def test_bad_names_raise_listing_valid_ones(args, message):
    with pytest.raises(ValueError, match=message):
        registry.build_model(*args, n_classes=2, bands=3)


def test_bad_stride_and_size_raise():
    with pytest.raises(ValueError, match="Output stride 4"):
        registry.build_model("unet", "vgg_16", 2, 3, output_stride=4)
    with pytest.raises(ValueError, match="multiple of 16"):
        registry.build_model("unet", "vgg_16", 2, 3, input_size=72)
