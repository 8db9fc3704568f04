"""The plain U-Net baseline of issue 13: ~1.2 M parameters, standardised
inputs, Adam 1e-3, cross-entropy, batch 8, 15 epochs, no augmentation -- a
short script outside the plugin -- trained on the same Landsat chips as
bench/defaults_bench.py and scored the same way (mean IoU on the never-tiled
east third of the scene).

    .venv/bin/python bench/baseline_unet.py [--runs 3] [--epochs 15]
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import benchlib  # noqa: E402

benchlib.import_plugin()
import landsat_holdout  # noqa: E402


def unet(bands, n_classes, base=16):
    import keras
    from keras import layers

    def block(x, n):
        for _ in range(2):
            x = layers.Conv2D(n, 3, padding="same", use_bias=False)(x)
            x = layers.Activation("relu")(layers.BatchNormalization()(x))
        return x

    inputs = keras.Input((None, None, bands))
    x, skips = inputs, []
    for level in range(4):
        x = block(x, base * 2 ** level)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = block(x, base * 16)
    for level in reversed(range(4)):
        x = layers.Conv2DTranspose(base * 2 ** level, 2, strides=2)(x)
        x = block(layers.Concatenate()([x, skips[level]]), base * 2 ** level)
    return keras.Model(inputs, layers.Conv2D(n_classes, 1, activation="softmax")(x))


def one_run(holdout, epochs, seed):
    import keras

    from semantic_segmentation.engine.data import dataset, raster

    keras.utils.set_random_seed(seed)
    wall_start = time.perf_counter()
    info = dataset.read_info(holdout.dataset)
    x, y = dataset.load_arrays(info, "train")
    y = y.astype("int32")
    model = unet(info.bands, info.n_classes)
    loss = keras.losses.SparseCategoricalCrossentropy(ignore_class=255)
    model.compile(keras.optimizers.Adam(1e-3), loss)
    start = time.perf_counter()
    model.fit(x, y, batch_size=8, epochs=epochs, verbose=0, shuffle=True)
    seconds = time.perf_counter() - start
    wall = time.perf_counter() - wall_start
    east = landsat_holdout.read(holdout.east_image).transpose(1, 2, 0)
    image, _valid = raster.standardise(east, np.asarray(info.mean, np.float32),
                                       np.asarray(info.std, np.float32), info.nodata)
    h, w = image.shape[:2]
    padded = np.zeros(((h + 15) // 16 * 16, (w + 15) // 16 * 16, info.bands), np.float32)
    padded[:h, :w] = image
    classes = model.predict(padded[None], verbose=0)[0, :h, :w].argmax(-1)
    values = np.asarray(info.class_values)[classes]
    miou = landsat_holdout.mean_iou(values, landsat_holdout.read(holdout.east_label))
    return miou, seconds, model.count_params(), len(x), wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="semseg-baseline-") as work:
        holdout = landsat_holdout.prepare(work)
        runs = []
        for seed in range(args.runs):
            miou, seconds, params, chips, _wall = one_run(holdout, args.epochs, seed)
            if not runs:
                print(f"Plain U-Net baseline: {params:,} parameters, {chips} training chips "
                      f"of {landsat_holdout.TILE} px, {landsat_holdout.BANDS} bands, "
                      f"{args.epochs} epochs, batch 8, Adam 1e-3; {os.cpu_count()} CPU cores",
                      flush=True)
            runs.append((miou, seconds))
            print(f"  run {seed + 1}: mIoU {miou:.4f}, training {seconds:.1f} s", flush=True)
        print(landsat_holdout.summary("baseline_unet", runs)[-1])


if __name__ == "__main__":
    main()
