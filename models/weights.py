"""Loading encoder weights from a file the user names (nothing is downloaded).

Two kinds of file are accepted:

* ``.weights.h5`` saved from an encoder built with the same name, band count
  and width (``model.get_layer("encoder").save_weights(path)``); it must match
  exactly, otherwise a ``ValueError`` explains why.
* ``.keras``: a whole model saved by this plugin (its nested ``"encoder"``
  is used) or an encoder model saved on its own; loaded in safe mode.
  Weights are copied layer by layer in build order. When only the band count
  differs, the first convolution is adapted explicitly: its kernel is
  averaged over the old input channels, repeated for each new band and
  scaled by ``old_bands / new_bands`` so activations keep their magnitude.
  Any other difference is an error.
"""

import os

import numpy as np
import keras


def _weighted_layers(model):
    return [layer for layer in model.layers if layer.weights]


def _adapt_first_kernel(kernel, new_bands):
    old_bands = kernel.shape[-2]
    mean = kernel.mean(axis=-2, keepdims=True)
    return np.repeat(mean, new_bands, axis=-2) * (old_bands / new_bands)


def copy_encoder_weights(source, target):
    """Copy weights from encoder ``source`` into encoder ``target``."""
    src_layers, dst_layers = _weighted_layers(source), _weighted_layers(target)
    if len(src_layers) != len(dst_layers):
        raise ValueError(
            f"The weights come from a different encoder ({len(src_layers)} weighted "
            f"layers, this encoder has {len(dst_layers)})."
        )
    for index, (src, dst) in enumerate(zip(src_layers, dst_layers)):
        values = [np.asarray(v) for v in src.get_weights()]
        shapes = [tuple(w.shape) for w in dst.weights]
        if index == 0 and values and values[0].ndim == 4 and values[0].shape[:-2] == shapes[0][:-2] \
                and values[0].shape[-1] == shapes[0][-1]:
            values[0] = _adapt_first_kernel(values[0], shapes[0][-2])
        if [v.shape for v in values] != shapes:
            raise ValueError(
                f"Weights of layer {src.name!r} have shapes {[v.shape for v in values]}, "
                f"but {dst.name!r} needs {shapes}: the file was made for another "
                f"encoder or width."
            )
        dst.set_weights(values)


def load_encoder_weights(encoder, path):
    """Load ``path`` (``.weights.h5`` or ``.keras``) into ``encoder``."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"Encoder weights file not found: {path}")
    if path.endswith(".weights.h5"):
        try:
            encoder.load_weights(path)
        except Exception as error:  # Keras raises several types here
            raise ValueError(
                f"Could not load encoder weights {path}: they must come from the same "
                f"encoder with the same band count and width; for another band count "
                f"use a .keras file, whose first convolution is adapted. ({error})"
            ) from error
        return
    if path.endswith(".keras"):
        # The engine checks the archive first (modelfile.check_keras_file);
        # whatever Keras still refuses is named here, with the file.
        try:
            source = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as error:  # Keras raises TypeError, ValueError, KeyError...
            raise ValueError(
                f"Keras cannot load the encoder weights file {path}: "
                f"{type(error).__name__}: {error}"
            ) from error
        names = [layer.name for layer in source.layers]
        if "encoder" in names:
            source = source.get_layer("encoder")
        copy_encoder_weights(source, encoder)
        return
    raise ValueError(f"Encoder weights must be a .weights.h5 or .keras file, not {path}.")
