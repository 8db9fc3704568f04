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
  batch-norm epsilon); ``resnet50_keras``, ``resnet*_v2_keras`` and
  ``xception_keras`` are encoders of their own in Keras's layouts
  (``encoders/resnet_keras.py``, ``encoders/xception_keras.py``): Keras's
  ResNets stride in other places than our ``resnet_v1_50`` / ``resnet_v2_*``,
  and its Xception is not DeepLab's aligned Xception-41;
* where a published convolution has a bias and ours has none, the bias is
  moved exactly: into the published batch norm that follows it, whose moving
  mean becomes ``moving_mean - bias`` (ResNet50: BN(conv + b) with mean m is
  BN(conv) with mean m - b), or, with no batch norm after it (VGG), into our
  batch norm as an identity plus shift (gamma 1, beta = bias, moving mean 0,
  moving variance ``1 - epsilon``).

Any band count: the first convolution's RGB kernels are cycled over the
bands and scaled by ``3 / bands`` (as segmentation_models.pytorch does), so a
3-band (RGB) input gets the published kernel unchanged; networks trained on
BGR images (Keras's "caffe" preprocessing: VGG and ResNet50) have their first
kernels reversed to RGB first. The input's scaling stays ours (per-band
standardisation), not the published preprocessing.
"""

import os
from collections import namedtuple

import numpy as np
import keras

from .encoders import xception_keras

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"

# application: the keras.applications constructor; folder/file: the published
# file (URL = _BASE + folder + "/" + file); file_hash: the hash Keras passes
# (None where Keras passes none); taps: our stride -> the published layer
# whose output equals our tap (tests compare them); bgr: the network was
# trained on BGR images (Keras's "caffe" preprocessing: VGG, ResNet50), so its
# first kernels are reversed to RGB; pad: the zero padding our encoder puts
# around its input before the published layers (the tests give Keras's network
# the padded image).
Published = namedtuple("Published", "application folder file file_hash taps bgr pad",
                       defaults=(False, 0))


def _published(application, folder, file, file_hash, taps, **options):
    """A row of PUBLISHED; ``taps``: the published layers at strides 2, 4, 8, 16, 32."""
    return Published(application, folder, file, file_hash, dict(zip((2, 4, 8, 16, 32), taps)),
                     **options)


def _notop(stem):
    """The published file without the classifier ("include_top=False")."""
    return f"{stem}_weights_tf_dim_ordering_tf_kernels_notop.h5"


def _resnet_v2(depth, file_hash, conv3_units, conv4_units):
    """ResNet<depth>V2: the taps are the pre-activations of each stage's last unit."""
    return _published(f"ResNet{depth}V2", "resnet", _notop(f"resnet{depth}v2"), file_hash, (
        "conv1_conv", "conv2_block3_preact_relu", f"conv3_block{conv3_units}_preact_relu",
        f"conv4_block{conv4_units}_preact_relu", "post_relu"))


_VGG_TAPS = tuple(f"block{i}_pool" for i in range(1, 6))

PUBLISHED = {
    "mobilenet_v2": _published(
        "MobileNetV2", "mobilenet_v2",
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5", None,
        ("expanded_conv_project_BN", "block_2_add", "block_5_add", "block_12_add",
         "block_16_project_BN")),
    "vgg_16": _published("VGG16", "vgg16", _notop("vgg16"), "6d6bbae143d832006294945121d1f1fc",
                         _VGG_TAPS, bgr=True),
    "vgg_19": _published("VGG19", "vgg19", _notop("vgg19"), "253f8cb515780f3b799900260a226db6",
                         _VGG_TAPS, bgr=True),
    "densenet_121": _published(
        "DenseNet121", "densenet", _notop("densenet121"), "30ee3e1110167f948a6b9946edeeb738",
        ("conv1_relu", "conv2_block6_concat", "conv3_block12_concat", "conv4_block24_concat",
         "relu")),
    "densenet_169": _published(
        "DenseNet169", "densenet", _notop("densenet169"), "b8c4d4c20dd625c148057b9ff1c1176b",
        ("conv1_relu", "conv2_block6_concat", "conv3_block12_concat", "conv4_block32_concat",
         "relu")),
    "resnet50_keras": _published(
        "ResNet50", "resnet", _notop("resnet50"), "4d473c1dd8becc155b73f8504c6f6626",
        ("conv1_relu", "conv2_block3_out", "conv3_block4_out", "conv4_block6_out",
         "conv5_block3_out"), bgr=True),
    "resnet50_v2_keras": _resnet_v2(50, "fac2f116257151a9d068a22e544a4917", 4, 6),
    "resnet101_v2_keras": _resnet_v2(101, "c0ed64b8031c3730f411d2eb4eea35b5", 4, 23),
    "resnet152_v2_keras": _resnet_v2(152, "ed17cf2e0169df9d443503ef94b23b33", 8, 36),
    "xception_keras": _published(
        "Xception", "xception", _notop("xception"), "b0042744bf5b25fce3cb969f33bebb97",
        ("block2_sepconv2_bn", "block3_sepconv2_bn", "block4_sepconv2_bn",
         "block13_sepconv2_bn", "block14_sepconv2_act"), pad=xception_keras.PAD),
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


def _consumer(model, layer):
    """The layer of ``model`` that alone takes ``layer``'s output, or None."""
    found = [other for other in model.layers if other is not layer
             and any(t is layer.output for t in keras.tree.flatten(other.input))]
    return found[0] if len(found) == 1 else None


def copy_published(source, encoder, bgr=False):
    """Copy the weights of Keras Applications' ``source`` onto our ``encoder``.

    Weighted layers are paired in build order; published layers left over at
    the end (MobileNetV2's last 1x1 convolution) are not used. A published
    convolution's bias that our convolution lacks moves into a batch norm
    (see the module's docstring). ``bgr``: the published first convolution
    reads blue, green, red; ours gets its kernels in RGB order.
    """
    src, dst = _weighted(source), _weighted(encoder)
    i, bias, folds = 0, None, {}
    for j, layer in enumerate(dst):
        if bias is not None:
            _check_batch_norm(layer, src[i - 1])
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
            if isinstance(published, keras.layers.BatchNormalization):
                _check_batch_norm(layer, published)
                # BN(conv + b) with moving mean m is BN(conv) with moving mean m - b
                values[2] = values[2] - folds.pop(published.name, 0.0)
            if getattr(published, "use_bias", False) and not getattr(layer, "use_bias", True):
                values, bias = values[:1], values[1]
                after = _consumer(source, published)
                if isinstance(after, keras.layers.BatchNormalization):
                    folds[after.name], bias = bias, None
        if j == 0:
            kernel = values[0][:, :, ::-1, :] if bgr else values[0]
            values[0] = first_kernel(kernel, layer.weights[0].shape[-2])
        shapes = [tuple(w.shape) for w in layer.weights]
        if [v.shape for v in values] != shapes:
            raise ValueError(
                f"The published weights of {src[i - 1].name!r} have shapes "
                f"{[v.shape for v in values]}, but our {layer.name!r} needs {shapes}; "
                f"ImageNet weights need WIDTH 1.")
        layer.set_weights(values)
    if folds:
        raise ValueError(f"The biases of the published layers before {sorted(folds)} "
                         f"found no batch norm of ours.")


def _check_batch_norm(layer, published):
    """Our ``layer`` must be a batch norm computing what ``published`` computes."""
    if not isinstance(layer, keras.layers.BatchNormalization):
        raise ValueError(f"Our {layer.name!r} should be a batch norm, to take the weights "
                         f"of the published {published.name!r}.")
    epsilon = getattr(published, "epsilon", layer.epsilon)
    if layer.epsilon != epsilon:
        raise ValueError(f"Our batch norm {layer.name!r} has epsilon {layer.epsilon}, the "
                         f"published {published.name!r} {epsilon}.")


def load(encoder, name):
    """Give our ``encoder`` (built for ``name``) the published ImageNet weights."""
    path = fetch(name)
    copy_published(published_model(name, path), encoder, bgr=PUBLISHED[name].bgr)
