"""Training throughput: Train Model's batches (data/batches.py, a PyDataset fed
to every Keras backend) vs model.fit on numpy arrays in memory, and the time
from "pressing Run" to the first step.

    .venv/bin/python bench/training_bench.py [--chips 64] [--size 128] [--steps 16]

1. Writes a dataset folder in Tile Dataset's format (64 GeoTIFF chips of
   128 x 128 x 3, 3 classes) under a temporary folder.
2. Steps per second of ``model.fit`` on ``engine.data.batches.make_batches``
   (chips read from disk and decoded once, then shuffled and batched a batch
   at a time) against ``model.fit(x, y)`` on the same chips held as numpy
   arrays; the same network (unet + mobilenet_v2), loss, metrics and batch
   size; the first epoch (tracing) is excluded. With augmentation off, and on
   (the default: its cost shows against the plain arrays, which Keras cannot
   augment). Each side runs REPEATS timed epochs, alternating side by side;
   the figure is the median (all runs and the machine's load are printed).
3. Time from starting the worker process with a train job (as Train Model
   does) to its first progress line with ``step >= 1``, with the times of the
   worker's log lines on the way.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
sys.path[:0] = [os.path.join(ROOT, "tests"), os.path.join(ROOT, "tests", "engine")]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import benchlib  # noqa: E402

benchlib.import_plugin()

from datasets import write_dataset  # noqa: E402  (tests/engine/datasets.py)


def _compiled(info, seed=0):
    import keras

    from semantic_segmentation.engine.train import losses, train_metrics
    from semantic_segmentation.models.registry import build_model

    keras.utils.set_random_seed(seed)
    model = build_model("unet", "mobilenet_v2", info.n_classes, info.bands)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=losses.get_loss("categorical_crossentropy", info.n_classes),
                  metrics=train_metrics.keras_metrics(info.n_classes))
    return model


def throughput(folder, batch, steps, repeats):
    """Median steps/s of each side, the sides' epochs alternating."""
    from semantic_segmentation.engine.data import batches, dataset

    info = dataset.read_info(folder)
    start = time.perf_counter()
    pipeline = batches.make_batches(info, "train", batch, training=True).window(0, steps)
    setup_s = time.perf_counter() - start
    pipeline_aug = batches.make_batches(info, "train", batch, training=True, augment=True,
                                        seed=0).window(0, steps)
    images, labels = dataset.load_arrays(info, "train")
    sides = {
        "numpy": lambda m, n: m.fit(images[: n * batch], labels[: n * batch],
                                    batch_size=batch, epochs=1, verbose=0, shuffle=True),
        "pipeline": lambda m, n: m.fit(pipeline, epochs=1, steps_per_epoch=n, verbose=0),
        "pipeline_augmented": lambda m, n: m.fit(pipeline_aug, epochs=1, steps_per_epoch=n,
                                                 verbose=0),
    }
    models = {name: _compiled(info) for name in sides}
    for name, fit in sides.items():  # warm-up: tracing and the first pass over the data
        fit(models[name], steps)
    times, _ = benchlib.alternate(
        {name: (lambda name=name, fit=fit: fit(models[name], steps))
         for name, fit in sides.items()}, repeats)
    rates = {name: steps / benchlib.median(t) for name, t in times.items()}
    return rates, times, setup_s


def time_to_first_step(folder, workdir, batch):
    job = os.path.join(workdir, "job.json")
    with open(job, "w") as f:
        json.dump({"task": "train", "params": {
            "dataset": folder, "output_model": os.path.join(workdir, "bench.keras"),
            "epochs": 1, "steps_per_epoch": 3, "batch_size": batch}}, f)
    env = dict(os.environ, PYTHONPATH=PLUGINS, TF_CPP_MIN_LOG_LEVEL="2")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "semantic_segmentation.engine", job],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    marks, first = [], None
    for raw in proc.stdout:
        line = json.loads(raw)
        now = time.perf_counter() - start
        if line["type"] == "log":
            marks.append((now, line["message"][:70]))
        if line["type"] == "progress" and line.get("step", 0) >= 1 and first is None:
            first = now
        if line["type"] in ("result", "error"):
            marks.append((now, line["type"] + ("" if line["type"] == "result"
                                               else ": " + line["message"])))
    proc.wait()
    return first, marks, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chips", type=int, default=64)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import tensorflow as tf

    with tempfile.TemporaryDirectory(prefix="semseg-bench-") as work:
        folder = write_dataset(os.path.join(work, "dataset"), n_train=args.chips, n_val=8,
                               size=args.size, bands=3, classes=3)
        devices = [d.device_type for d in tf.config.list_physical_devices()]
        print(f"Training benchmark: {args.chips} chips of {args.size}x{args.size}x3, 3 classes, "
              f"unet + mobilenet_v2 (width 1.0), batch {args.batch}, {args.steps} steps timed "
              f"(after a warm-up epoch); TensorFlow {tf.__version__}, devices "
              f"{devices}, {os.cpu_count()} CPU cores")
        print(f"  load at the start: {benchlib.load()}; median of {args.repeats} "
              f"alternating timed epochs per side")
        r, times, setup_s = throughput(folder, args.batch, args.steps, args.repeats)
        for name, label in (("numpy", "model.fit on numpy arrays in memory"),
                            ("pipeline", "model.fit on Train Model's batches"),
                            ("pipeline_augmented", "Train Model's batches + augmentation")):
            base = r["numpy"]
            print(f"  {label:38s}: {r[name]:.2f} steps/s (ratio {r[name] / base:.2f})  "
                  f"[runs, s: {benchlib.runs(times[name])}]")
        print(f"  (decoding {args.chips} chips took {setup_s:.2f} s; load now "
              f"{benchlib.load()})")
        first, marks, total = time_to_first_step(folder, work, args.batch)
        print(f"  worker start ('Run') to first training step: {first:.1f} s "
              f"(whole 3-step job {total:.1f} s)")
        for t, message in marks:
            print(f"    {t:6.1f} s  {message}")


if __name__ == "__main__":
    main()
