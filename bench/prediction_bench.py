"""Predict Raster's throughput and memory.

(a) engine.prediction.predict_raster on a 2000 x 2000 GeoTIFF against the
    network's raw batched forward over the same windows (same tile, batch and
    count; random pixels already in memory, traced beforehand, no I/O, no
    blending, no writing). The network is the default pair, unet +
    mobilenet_v2 at full width, 3 bands, 4 classes, tile 256, untrained
    (throughput does not depend on the weights).
(b) The seed's approach on a smaller scene, same network: the whole scene in
    memory, a window every tile/4 pixels, one ``model.predict`` call per
    window, probabilities averaged in a scene-sized array; the engine on the
    same scene for comparison.
(c) The worker's peak RSS (``python -m semantic_segmentation.engine job.json``
    in a child process, ``ru_maxrss`` of its children reported by a small wrapper process) for scenes of 2000²,
    8000² and 20000² pixels. The big inputs are VRTs that mosaic the 2000²
    GeoTIFF n x n times. The default network runs at about 0.8 Mpixel/s on
    the 2-core CPU this was written on, so these runs use a tiny network
    (unet + unet_native, width 0.125, tile 256, batch 8); the 2000² run is
    repeated with the default network to show its own footprint.

Usage: python bench/prediction_bench.py [--quick] [--output bench/results/prediction.txt]
(--quick: a 1000² scene for (a) and no 20000² run.)
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

    from semantic_segmentation.engine import modelfile
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


def make_mosaic(path, tile_path, side, repeat):
    """A VRT repeating ``tile_path`` (side x side) repeat x repeat times."""
    from osgeo import gdal

    src = gdal.Open(tile_path)
    gt = src.GetGeoTransform()
    n = side * repeat
    lines = [f'<VRTDataset rasterXSize="{n}" rasterYSize="{n}">',
             f"  <SRS>{_xml(src.GetProjection())}</SRS>",
             f"  <GeoTransform>{', '.join(repr(v) for v in gt)}</GeoTransform>"]
    for b in range(1, BANDS + 1):
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


def engine_predict(scene, model, output, **kw):
    from semantic_segmentation.engine.prediction import PredictParams, predict_raster
    from semantic_segmentation.engine.progress import Progress

    logs = []
    start = time.perf_counter()
    result = predict_raster(PredictParams(input=scene, model=model, output=output,
                                          batch_size=BATCH, **kw), Progress(log=logs.append))
    return time.perf_counter() - start, result, logs


def seed_style(net, scene_path, tile=TILE):
    """The seed's predictor: scene in memory, stride tile/4, predict() per window."""
    from osgeo import gdal

    start = time.perf_counter()
    image = np.moveaxis(gdal.Open(scene_path).ReadAsArray(), 0, -1).astype(np.float32)
    image = (image - 120.0) / 30.0
    h, w = image.shape[:2]
    stride = tile // 4
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


def worker_rss(job, folder, name):
    """(seconds, peak RSS in MiB, result) of one predict job run by the worker."""
    job_path = os.path.join(folder, f"{name}.json")
    with open(job_path, "w") as f:
        json.dump({"task": "predict", "params": job}, f)
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
        raise RuntimeError(f"worker failed ({status}): {last}")
    return seconds, max_rss_kib / 1024.0, last["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "results",
                                                         "prediction.txt"))
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _import_package()
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

    # (b) the seed's approach
    side_b = 512 if args.quick else 768
    scene_b = make_scene(os.path.join(DATA, f"scene{side_b}.tif"), side_b)
    seed_seconds, seed_windows, _ = seed_style(default_net, scene_b)
    eng_seconds, eng_result, _ = engine_predict(scene_b, default_model,
                                                os.path.join(DATA, "b_classes.tif"))
    mp_b = side_b * side_b / 1e6
    say()
    say(f"(b) scene {side_b} x {side_b} ({mp_b:.2f} Mpixel), same network")
    say(f"    seed style (in memory, stride {TILE // 4}, predict() per window): "
        f"{seed_windows} windows, {seed_seconds:.2f} s, {mp_b / seed_seconds:.3f} Mpixel/s")
    say(f"    predict_raster (auto overlap, batch {BATCH}):                 "
        f"{eng_result['windows']} windows, {eng_seconds:.2f} s, "
        f"{mp_b / eng_seconds:.3f} Mpixel/s  ({seed_seconds / eng_seconds:.1f}x)")

    # (c) worker peak RSS
    say()
    say("(c) worker peak RSS (python -m semantic_segmentation.engine job.json; class raster only)")
    say(f"    {'network':30} {'scene':>13} {'windows':>8} {'seconds':>8} {'Mpx/s':>7} "
        f"{'peak RSS MiB':>13}")
    runs = [("default (mobilenet_v2, 1.0)", default_model, 1),
            ("tiny (unet_native, 0.125)", tiny_model, 1),
            ("tiny (unet_native, 0.125)", tiny_model, 4)]
    if not args.quick:
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
