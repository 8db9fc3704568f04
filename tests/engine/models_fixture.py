"""Tiny model files for prediction tests: build_model + save_model + metadata."""

import numpy as np

from rasters import synthetic_scene

CLASS_VALUES = (10, 20, 30)
CLASS_NAMES = ("water", "forest", "urban")
CLASS_COLORS = ((0, 0, 255), (0, 160, 0), (200, 0, 0))
TILE = 64


def make_model_file(path, bands=3, values=CLASS_VALUES, tile_size=TILE, model="unet",
                    encoder="mobilenet_v2", output_stride=16, width=0.125, train_steps=0,
                    seed=0):
    """Save a tiny network with Train Model-style metadata to ``path``.

    Class ``i`` (value ``values[i]``) is bright in band ``i % bands`` of
    :func:`tests.rasters.synthetic_scene`; with ``train_steps`` the network
    is fitted on such a scene so its predictions are confident and local.
    """
    import keras

    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.models import catalog
    from semantic_segmentation.models.registry import build_model

    keras.utils.set_random_seed(seed)
    net = build_model(model, encoder, len(values), bands, output_stride=output_stride,
                      width=width)
    mean = np.full(bands, 120.0, np.float32)
    std = np.full(bands, 30.0, np.float32)
    if train_steps:
        image, label = synthetic_scene(256, 256, bands=bands, seed=seed, classes=len(values))
        x = (image.astype(np.float32) - mean) / std
        rng = np.random.default_rng(seed)
        xs, ys = [], []
        for _ in range(64):
            r, c = rng.integers(0, 256 - tile_size, size=2)
            xs.append(x[r:r + tile_size, c:c + tile_size])
            ys.append(label[r:r + tile_size, c:c + tile_size])
        net.compile(optimizer=keras.optimizers.Adam(3e-3),
                    loss="sparse_categorical_crossentropy")
        net.fit(np.stack(xs), np.stack(ys)[..., None], batch_size=8,
                epochs=max(1, train_steps // 8), verbose=0)
    metadata = {
        "classes": [{"value": int(v), "name": n, "color": list(c)}
                    for v, n, c in zip(values, CLASS_NAMES, CLASS_COLORS)],
        "bands": bands,
        "band_names": [f"B{i + 1}" for i in range(bands)],
        "mean": mean.tolist(),
        "std": std.tolist(),
        "tile_size": tile_size,
        "model": model,
        "encoder": encoder,
        "output_stride": output_stride,
        "required_divisor": catalog.required_divisor(model, encoder, output_stride),
        "nodata": None,
        "data_type": "UInt16",
    }
    return modelfile.save_model(net, str(path), metadata)
