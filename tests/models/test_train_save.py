"""A small model learns, survives a .keras round trip in safe mode, and
takes encoder weights from a file the user names."""

import keras
import numpy as np
import pytest

import semantic_segmentation.models.registry as registry
from semantic_segmentation.models import catalog

WIDTH = 0.125


def synthetic_set(n=8, size=64, bands=3, seed=0):
    """Bright squares on noise; class 1 inside the square."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 0.3, (n, size, size, bands)).astype(np.float32)
    y = np.zeros((n, size, size), np.int32)
    for i in range(n):
        r, c = rng.integers(0, size // 2, 2)
        x[i, r:r + size // 3, c:c + size // 3] += 1.0
        y[i, r:r + size // 3, c:c + size // 3] = 1
    return x, y


def test_default_model_loss_falls_in_a_few_steps():
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    model = registry.build_model(catalog.DEFAULT_DECODER, catalog.DEFAULT_ENCODER, 2, 3, width=WIDTH)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    x, y = synthetic_set()
    history = model.fit(x, y, batch_size=4, epochs=8, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.7 * losses[0], losses


@pytest.mark.parametrize("decoder,encoder", [("icnet", "mobilenet_v2"), ("pspnet", "resnet_v2_50_separable")])
def test_keras_file_reloads_in_safe_mode_with_identical_predictions(tmp_path, decoder, encoder):
    keras.backend.clear_session()
    model = registry.build_model(decoder, encoder, 3, 5, width=WIDTH)
    x = np.random.default_rng(1).random((2, 64, 64, 5), dtype=np.float32)
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    keras.backend.clear_session()
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), expected)
    bigger = np.zeros((1, 128, 96, 5), np.float32)
    assert loaded.predict(bigger, verbose=0).shape == (1, 128, 96, 3)


def _encoder_weights(model):
    return model.get_layer("encoder").get_weights()


def test_encoder_weights_from_weights_h5(tmp_path):
    keras.backend.clear_session()
    source = registry.build_model("unet", "resnet_v1_50", 2, 3, width=WIDTH)
    path = str(tmp_path / "enc.weights.h5")
    source.get_layer("encoder").save_weights(path)
    target = registry.build_model("deeplab_v3", "resnet_v1_50", 4, 3, width=WIDTH, encoder_weights=path)
    for a, b in zip(_encoder_weights(source), _encoder_weights(target)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="same band count"):
        registry.build_model("unet", "resnet_v1_50", 2, 7, width=WIDTH, encoder_weights=path)


def test_encoder_weights_from_keras_file_adapt_first_conv(tmp_path):
    keras.backend.clear_session()
    source = registry.build_model("unet", "mobilenet_v2", 2, 3, width=WIDTH)
    path = str(tmp_path / "trained.keras")
    source.save(path)
    target = registry.build_model("unet", "mobilenet_v2", 2, 7, width=WIDTH, encoder_weights=path)
    src, dst = _encoder_weights(source), _encoder_weights(target)
    assert dst[0].shape[-2] == 7
    np.testing.assert_allclose(dst[0], np.repeat(src[0].mean(-2, keepdims=True), 7, -2) * 3 / 7, rtol=1e-6)
    for a, b in zip(src[1:], dst[1:]):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="different encoder"):
        registry.build_model("unet", "vgg_16", 2, 3, width=WIDTH, encoder_weights=path)


def test_missing_weights_file_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        registry.build_model("unet", "vgg_16", 2, 3, width=WIDTH, encoder_weights=str(tmp_path / "none.keras"))


@pytest.mark.parametrize("decoder", ["pspnet", "icnet"])
def test_pyramid_pooling_networks_train(decoder):
    """Their adaptive pooling has a gradient (TensorFlow's area resize, used before,
    has none: fit() failed with 'gradient registry has no entry for: ResizeArea').
    One eager step asks the same gradient registry as a traced one, without the
    cost of tracing the whole step (PSPNet's traced fit runs in test_onnx_export.py,
    both networks' traced predictions in the safe-mode reload test above)."""
    keras.backend.clear_session()
    model = registry.build_model(decoder, "mobilenet_v2", 3, 3, width=0.25)
    model.compile("adam", "sparse_categorical_crossentropy", run_eagerly=True)
    rng = np.random.default_rng(0)
    x = rng.random((2, 64, 64, 3), dtype=np.float32)
    before = [w.copy() for w in model.get_weights()]
    model.fit(x, rng.integers(0, 3, (2, 64, 64)), epochs=1, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_adaptive_pooling_averages_pytorch_style_bins():
    from semantic_segmentation.models.layers import AdaptiveAveragePooling

    x = np.random.default_rng(1).random((1, 13, 17, 2), dtype=np.float32)
    for bins in (1, 2, 3, 6):
        out = np.asarray(AdaptiveAveragePooling(bins)(x))
        for i in range(bins):
            for j in range(bins):
                y0, y1 = (13 * i) // bins, -(-13 * (i + 1) // bins)
                x0, x1 = (17 * j) // bins, -(-17 * (j + 1) // bins)
                np.testing.assert_allclose(out[0, i, j], x[0, y0:y1, x0:x1].mean(axis=(0, 1)),
                                           rtol=1e-5)
