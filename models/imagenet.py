"""ImageNet weights for the encoders, from Keras Applications' published files.

``load(encoder, name)`` fetches the file Keras Applications publishes for
encoder ``name`` (include_top=False) through Keras's own download and cache,
``keras.utils.get_file(fname, url, cache_subdir="models", file_hash=...)``,
exactly as ``keras.applications`` does (so a file Keras already downloaded is
reused, and one placed in ``$KERAS_HOME/models/`` is used without internet);
loads it into the Keras Applications network (built with ``weights=None``)
and copies it, layer by layer in build order, onto our encoder:

* our layout equals the published one for MobileNetV2 (whose final
  1280-channel convolution we leave out) and DenseNet (same stem, same
  batch-norm epsilon);
* VGG's published convolutions have biases and no batch norm; ours have batch
  norm and no bias, and the bias goes into the batch norm as an exact
  identity plus shift (gamma 1, beta = bias, moving mean 0, moving variance
  ``1 - epsilon``).

Any band count: the first convolution's RGB kernels are cycled over the
bands and scaled by ``3 / bands`` (as segmentation_models.pytorch does), so a
3-band input gets the published kernel unchanged.
"""

import os
from collections import namedtuple

import numpy as np
import keras

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"

# application: the keras.applications constructor; folder/file: the published
# file (URL = _BASE + folder + "/" + file); file_hash: the hash Keras passes
# (None where Keras passes none); taps: our stride -> the published layer
# whose output equals our tap (tests compare them).
Published = namedtuple("Published", "application folder file file_hash taps")

PUBLISHED = {
    "mobilenet_v2": Published(
        "MobileNetV2", "mobilenet_v2",
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5", None,
        {2: "expanded_conv_project_BN", 4: "block_2_add", 8: "block_5_add",
         16: "block_12_add", 32: "block_16_project_BN"}),
    "vgg_16": Published(
        "VGG16", "vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "6d6bbae143d832006294945121d1f1fc",
        {2: "block1_pool", 4: "block2_pool", 8: "block3_pool", 16: "block4_pool",
         32: "block5_pool"}),
    "vgg_19": Published(
        "VGG19", "vgg19", "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "253f8cb515780f3b799900260a226db6",
        {2: "block1_pool", 4: "block2_pool", 8: "block3_pool", 16: "block4_pool",
         32: "block5_pool"}),
    "densenet_121": Published(
        "DenseNet121", "densenet", "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "30ee3e1110167f948a6b9946edeeb738",
        {2: "conv1_relu", 4: "conv2_block6_concat", 8: "conv3_block12_concat",
         16: "conv4_block24_concat", 32: "relu"}),
    "densenet_169": Published(
        "DenseNet169", "densenet", "densenet169_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "b8c4d4c20dd625c148057b9ff1c1176b",
        {2: "conv1_relu", 4: "conv2_block6_concat", 8: "conv3_block12_concat",
         16: "conv4_block32_concat", 32: "relu"}),
}


def keras_home():
    """Keras's cache root: $KERAS_HOME (read now, not when Keras was imported)
    or Keras's own choice (~/.keras)."""
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def cache_folder():
    """The folder Keras's get_file keeps ``cache_subdir="models"`` files in."""
    return os.path.join(keras_home(), "models")


def url(name):
    spec = PUBLISHED[name]
    return f"{_BASE}{spec.folder}/{spec.file}"


def fetch(name):
    """The published file for encoder ``name`` (downloaded once, then cached)."""
    if name not in PUBLISHED:
        raise ValueError(f"Keras Applications publishes no ImageNet weights for the encoder "
                         f"{name!r}; encoders with ImageNet weights: {', '.join(PUBLISHED)}.")
    spec = PUBLISHED[name]
    try:
        return keras.utils.get_file(spec.file, url(name), cache_subdir="models",
                                    file_hash=spec.file_hash, cache_dir=keras_home())
    except Exception as error:  # get_file raises bare Exceptions for network errors
        raise ValueError(
            f"The ImageNet weights of {name} could not be downloaded ({error}). Without "
            f"internet, download {url(name)} elsewhere and put the file {spec.file} in "
            f"the folder {cache_folder()}, then run again.") from error


def published_model(name, path=None):
    """The Keras Applications network of ``name`` (3 bands, any size), with the
    published weights when ``path`` is given, random ones otherwise."""
    spec = PUBLISHED[name]
    build = getattr(keras.applications, spec.application)
    model = build(include_top=False, weights=None, input_shape=(None, None, 3))
    if path:
        model.load_weights(path)
    return model


def first_kernel(kernel, bands):
    """RGB kernels ``(k, k, 3, n)`` cycled over ``bands`` and scaled by 3 / bands."""
    rgb = kernel.shape[-2]
    index = np.arange(bands) % rgb
    return kernel[:, :, index, :] * (rgb / bands)


def _weighted(model):
    return [layer for layer in model.layers if layer.weights]


def copy_published(source, encoder):
    """Copy the weights of Keras Applications' ``source`` onto our ``encoder``.

    Weighted layers are paired in build order; published layers left over at
    the end (MobileNetV2's last 1x1 convolution) are not used.
    """
    src, dst = _weighted(source), _weighted(encoder)
    i, bias = 0, None
    for j, layer in enumerate(dst):
        if bias is not None:
            if not isinstance(layer, keras.layers.BatchNormalization):
                raise ValueError(f"Our {layer.name!r} should be the batch norm that takes "
                                 f"the bias of the published {src[i - 1].name!r}.")
            # the published convolution's bias, as a batch norm that adds it (VGG)
            values = [np.ones_like(bias), bias, np.zeros_like(bias),
                      np.full_like(bias, 1.0 - layer.epsilon)]
            bias = None
        else:
            if i >= len(src):
                raise ValueError(f"The published network has fewer layers than our "
                                 f"encoder (none left for {layer.name!r}).")
            published = src[i]
            i += 1
            values = [np.asarray(v) for v in published.get_weights()]
            if getattr(published, "use_bias", False) and not getattr(layer, "use_bias", True):
                values, bias = values[:1], values[1]
        if j == 0:
            values[0] = first_kernel(values[0], layer.weights[0].shape[-2])
        shapes = [tuple(w.shape) for w in layer.weights]
        if [v.shape for v in values] != shapes:
            raise ValueError(
                f"The published weights of {src[i - 1].name!r} have shapes "
                f"{[v.shape for v in values]}, but our {layer.name!r} needs {shapes}; "
                f"ImageNet weights need WIDTH 1.")
        layer.set_weights(values)


def load(encoder, name):
    """Give our ``encoder`` (built for ``name``) the published ImageNet weights."""
    path = fetch(name)
    copy_published(published_model(name, path), encoder)
