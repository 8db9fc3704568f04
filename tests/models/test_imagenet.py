"""ENCODER_WEIGHTS=imagenet without internet: Keras Applications' networks with
random weights, saved as the published files in a temporary KERAS_HOME, load
onto our encoders and give the same feature maps.

Every encoder Keras Applications publishes (about 40 s on 2 cores). Random
weights and batch-norm statistics make every bias that moves (VGG's into our
batch norm, ResNet50's into Keras's) show in the feature maps.
"""

import hashlib
import os

import h5py
import numpy as np
import pytest

keras = pytest.importorskip("keras")

from keras.src.legacy.saving import legacy_h5_format  # noqa: E402  (the published format)

from semantic_segmentation.models import catalog, imagenet, registry  # noqa: E402

NAMES = list(imagenet.PUBLISHED)


def _randomise(model, seed=0):
    """Random batch-norm statistics and biases too (their defaults are trivial)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.5, 1.5, n), rng.normal(0, 0.1, n),
                               rng.normal(0, 0.1, n), rng.uniform(0.5, 1.5, n)])
        elif getattr(layer, "use_bias", False) and layer.weights:
            kernel, bias = layer.get_weights()
            layer.set_weights([kernel, rng.normal(0, 0.1, bias.shape)])


@pytest.fixture
def publish(tmp_path, monkeypatch):
    """publish(name): the published file of ``name`` (random weights) in KERAS_HOME."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def write(name):
        spec = imagenet.PUBLISHED[name]
        model = imagenet.published_model(name)
        _randomise(model)
        os.makedirs(tmp_path / "models", exist_ok=True)
        path = tmp_path / "models" / spec.file
        with h5py.File(path, "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
        if spec.file_hash:  # the real file's hash would not match ours
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            monkeypatch.setitem(imagenet.PUBLISHED, name, spec._replace(file_hash=digest))
        return model

    return write


def test_every_imagenet_encoder_is_in_the_catalog():
    assert set(imagenet.PUBLISHED) == set(catalog.IMAGENET_ENCODERS)
    assert set(catalog.IMAGENET_ENCODERS) <= set(catalog.ENCODERS)


@pytest.mark.parametrize("name", NAMES)
def test_files_are_the_ones_keras_applications_downloads(monkeypatch, name):
    """keras.applications' own weights="imagenet" asks get_file for our file,
    URL and hash."""
    from keras.src.utils import file_utils

    asked = {}

    class Asked(Exception):
        pass

    def get_file(fname, origin, **kwargs):
        asked.update(fname=fname, origin=origin, file_hash=kwargs.get("file_hash"),
                     cache_subdir=kwargs.get("cache_subdir"))
        raise Asked

    monkeypatch.setattr(file_utils, "get_file", get_file)
    spec = imagenet.PUBLISHED[name]
    with pytest.raises(Asked):
        getattr(keras.applications, spec.application)(
            include_top=False, weights="imagenet", input_shape=(None, None, 3))
    assert asked == {"fname": spec.file, "origin": imagenet.url(name),
                     "file_hash": spec.file_hash, "cache_subdir": "models"}


@pytest.mark.parametrize("name", NAMES)
def test_imagenet_weights_give_the_published_feature_maps(publish, name):
    keras.backend.clear_session()
    published = publish(name)
    encoder = registry.build_encoder(name, 3, output_stride=32)
    imagenet.load(encoder, name)
    taps = imagenet.PUBLISHED[name].taps
    theirs = keras.Model(published.input, [published.get_layer(t).output
                                           for t in taps.values()])
    x = np.random.default_rng(1).normal(size=(1, 64, 64, 3)).astype(np.float32)
    ours = encoder(x, training=False)
    spec = imagenet.PUBLISHED[name]
    theirs_x = np.pad(x, [(0, 0), (spec.pad, spec.pad), (spec.pad, spec.pad), (0, 0)])
    if spec.bgr:  # our first kernels read RGB, the published ones BGR
        theirs_x = theirs_x[..., ::-1]
    for stride, expected in zip(taps, theirs(theirs_x, training=False)):
        got = np.asarray(ours[f"stride_{stride}"])
        assert got.shape[1] == 64 // stride
        np.testing.assert_allclose(got, np.asarray(expected), rtol=1e-5, atol=1e-5)


def test_first_convolution_is_cycled_over_the_bands(publish):
    keras.backend.clear_session()
    publish("mobilenet_v2")
    rgb = registry.build_model("unet", "mobilenet_v2", 3, 3, encoder_weights="imagenet")
    seven = registry.build_model("unet", "mobilenet_v2", 3, 7, encoder_weights="imagenet")
    a = rgb.get_layer("encoder").get_weights()
    b = seven.get_layer("encoder").get_weights()
    assert b[0].shape[2] == 7
    np.testing.assert_allclose(b[0], a[0][:, :, [0, 1, 2, 0, 1, 2, 0], :] * 3 / 7, rtol=1e-6)
    for x, y in zip(a[1:], b[1:]):
        np.testing.assert_array_equal(x, y)


def test_offline_error_names_the_file_and_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*_args, **_kwargs):
        raise Exception("URL fetch failure: [Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(ValueError) as err:
        registry.build_model("unet", "vgg_16", 2, 3, encoder_weights="imagenet")
    message = str(err.value)
    assert "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" in message
    assert str(tmp_path / "models") in message and "storage.googleapis.com" in message
