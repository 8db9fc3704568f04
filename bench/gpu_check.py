"""The first GPU run: Train Model's and Predict Raster's jobs on the GPU, in one go.

    python bench/gpu_check.py [--wheels FOLDER] [--backend auto|tensorflow|torch|jax]
                              [--size 10000] [--out report.json] [--quick]

For a Linux machine with an NVIDIA GPU, any of TensorFlow, PyTorch and JAX,
and no network:

1. Installs only the wheels it is given (``--wheels``: keras, namex, optree and
   PyPI's ``gdal-wheel`` with the osgeo bindings; ``pip install --no-index
   --find-links``), and only those whose module does not import yet.
2. Chooses the Keras backend as the engine does (engine/backends.py: the
   ``--backend`` value, else KERAS_BACKEND, else the first of TensorFlow,
   PyTorch and JAX installed) and says which device it sees.
3. Writes a synthetic dataset (Tile Dataset's format) and a synthetic scene
   of ``--size`` x ``--size`` pixels (3 bands, UInt16, tiled GeoTIFF).
4. Train Model's job in the worker process (``python -m
   semantic_segmentation.engine JOB.json``, as QGIS runs it) on the chosen
   backend, whichever it is (TensorFlow, PyTorch or JAX: the engine trains on
   all three), mixed precision "auto" (float16 on a GPU), batch from the GPU's
   free memory, halved and run again on out-of-memory.
5. Predict Raster's job on the scene in the worker, with the trained model
   (not run when training failed), its memory budget from the GPU's free
   memory; then the raw forward pass of the same network on the same GPU
   (same window and batch), and GDAL's raw read of the scene + write of a
   class raster of its size, each in Mpx/s.
6. Prints the device, epoch time, prediction throughput against the forward
   pass and GDAL, peak GPU memory (nvidia-smi, sampled in the background, all
   processes) and every back-off (batch halvings); ``--out`` writes it as JSON.

Without a GPU it runs the same steps on the CPU and says it found no GPU;
``--quick`` makes everything tiny (the test suite runs it:
tests/engine/test_gpu_check.py). Exit code 0 when every step that can run here
ran; 1 when one failed.
"""

import argparse
import importlib
import importlib.util
import json
import os
import re
import subprocess  # nosec B404 - pip and our own worker, list argvs
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
# module -> the distribution that carries it, as the wheels folder holds them
WHEEL_PACKAGES = {"keras": "keras", "namex": "namex", "optree": "optree", "osgeo": "gdal-wheel"}
# Training memory per pixel of a batch sample (unet + mobilenet_v2, activations,
# gradients, optimizer state, float16 activations with mixed precision): a
# deliberately high guess; out-of-memory halves the batch anyway.
TRAIN_BYTES_PER_PIXEL = 12 * 1024
GPU_FREE_SHARE = 0.6
# The network: Train Model's default; --quick: the plain U-Net encoder (a third
# of the variables, which JAX compiles an initializer for when a file loads).
NETWORK = ("unet", "mobilenet_v2")
QUICK_NETWORK = ("unet", "unet_native")
OOM_MARKERS = ("ResourceExhausted", "OutOfMemory", "out of memory", "RESOURCE_EXHAUSTED",
               "OOM")


def say(text=""):
    print(text, flush=True)


# ---------------------------------------------------------------- set-up
def missing_modules(names):
    """Those of ``names`` that cannot be found (not imported: Keras reads
    KERAS_BACKEND once, when it is first imported)."""
    importlib.invalidate_caches()
    return [name for name in names if importlib.util.find_spec(name) is None]


def install_wheels(folder):
    """pip-install, from ``folder`` only, the packages whose module is missing."""
    missing = missing_modules(WHEEL_PACKAGES)
    if not missing:
        say("Wheels: keras, namex, optree and osgeo already import; nothing installed.")
        return []
    packages = [WHEEL_PACKAGES[m] for m in missing]
    if not folder:
        raise SystemExit(f"Missing {', '.join(missing)}: give --wheels FOLDER holding "
                         f"{', '.join(packages)}.")
    argv = [sys.executable, "-m", "pip", "install", "--no-index", "--find-links", folder,
            "--disable-pip-version-check", *packages]
    say("Installing from " + folder + ": " + " ".join(packages))
    proc = subprocess.run(argv, capture_output=True, text=True)  # nosec B603
    if proc.returncode != 0:
        raise SystemExit("pip failed:\n" + proc.stdout[-2000:] + proc.stderr[-2000:])
    still = missing_modules(missing)
    if still:
        raise SystemExit(f"Still missing after pip: {', '.join(still)}.")
    return packages


def import_plugin():
    """``import semantic_segmentation`` through build/qgis-plugins (as the tests do)."""
    os.makedirs(PLUGINS, exist_ok=True)
    link = os.path.join(PLUGINS, "semantic_segmentation")
    if not os.path.islink(link) and not os.path.exists(link):
        os.symlink(ROOT, link)
    for path in (PLUGINS, os.path.join(ROOT, "tests"), os.path.join(ROOT, "tests", "engine")):
        if path not in sys.path:
            sys.path.insert(0, path)


class GpuMemory:
    """Peak memory used on the GPU (nvidia-smi, every ``interval`` s, all processes)
    while the block runs, above what was used before it."""

    def __init__(self, interval=0.2):
        from semantic_segmentation.engine import devices

        self.devices = devices
        self.index = devices.visible_gpu_index()
        self.interval = interval
        self.base = self.peak = self._used()

    def _used(self):
        rows = self.devices.query("memory.used")
        try:
            return int(float(rows[self.index][0]))
        except (IndexError, ValueError):
            return None

    def __enter__(self):
        self.base = self._used()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(self.interval):
            used = self._used()
            if used is not None and (self.peak is None or used > self.peak):
                self.peak = used

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False

    @property
    def peak_mb(self):
        return None if self.peak is None or self.base is None else self.peak - self.base


# ---------------------------------------------------------------- data
def write_scene(path, size, bands=3, block=1000):
    """A ``size`` x ``size`` tiled GeoTIFF of the dataset's pattern, written block by block."""
    from osgeo import gdal

    from datasets import _chip  # tests/engine/datasets.py: the chips' pattern
    from rasters import srs_wkt

    block = min(block, size)
    ds = gdal.GetDriverByName("GTiff").Create(path, size, size, bands, gdal.GDT_UInt16,
                                              ["TILED=YES", "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform((500000.0, 1.0, 0.0, 4200000.0, 0.0, -1.0))
    ds.SetProjection(srs_wkt())
    image, _ = _chip(block, bands, 3, 0)
    for row in range(0, size, block):
        for col in range(0, size, block):
            h, w = min(block, size - row), min(block, size - col)
            ds.WriteRaster(col, row, w, h, image[:h, :w].transpose(2, 0, 1).tobytes(),
                           buf_type=gdal.GDT_UInt16, band_list=list(range(1, bands + 1)),
                           buf_pixel_space=0)
    ds = None
    return path


def gdal_rate(scene, folder, rows=512):
    """Mpx/s of GDAL reading the scene (all bands) and writing a Byte raster of its
    size (tiled, DEFLATE, as the class raster): Predict Raster's I/O floor."""
    import numpy as np
    from osgeo import gdal

    from semantic_segmentation.engine.data.raster import GTIFF_OPTIONS

    src = gdal.Open(scene)
    width, height = src.RasterXSize, src.RasterYSize
    out_path = os.path.join(folder, "gdal_copy.tif")
    dst = gdal.GetDriverByName("GTiff").Create(out_path, width, height, 1, gdal.GDT_Byte,
                                               list(GTIFF_OPTIONS))
    start = time.perf_counter()
    for row in range(0, height, rows):
        h = min(rows, height - row)
        data = src.ReadAsArray(0, row, width, h)
        dst.GetRasterBand(1).WriteArray((data[0] % 3).astype(np.uint8), 0, row)
    dst.FlushCache()
    dst = src = None
    seconds = time.perf_counter() - start
    os.remove(out_path)
    return width * height / seconds / 1e6, seconds


# ---------------------------------------------------------------- the worker
def run_worker(task, params, folder, backend, timeout):
    """Run one engine job as QGIS does (benchlib.worker_job); returns (result or
    None, error or None, log lines, (first step's time, epoch end times), seconds)."""
    import benchlib  # bench/, beside this script

    messages, seconds = benchlib.worker_job(task, params, folder, backend, timeout=timeout)
    result = error = None
    log, epochs, first_step = [], [], None
    for now, message in messages:
        kind = message.get("type")
        if kind == "log":
            log.append(message.get("message", ""))
        elif kind == "progress":
            if message.get("step") and first_step is None:
                first_step = now
            if "epoch" in (message.get("metrics") or {}):  # an epoch's end
                epochs.append(now)
        elif kind == "result":
            result = message.get("result")
        elif kind == "error":
            error = message.get("message", "") + "\n" + message.get("traceback", "")
    return result, error, log, (first_step, epochs), seconds


def backend_line(log):
    """The job's line naming Keras, its backend and device."""
    return next((line for line in log if re.match(r"Keras \d", line)), "")


def load_seconds(log):
    """Seconds the job's model took to load (its "... loaded in X s" line), or 0."""
    for line in log:
        match = re.search(r"the model loaded in ([\d.]+) s", line)
        if match:
            return float(match.group(1))
    return 0.0


def is_oom(error):
    return bool(error) and any(marker in error for marker in OOM_MARKERS)


def epoch_seconds(first_step, ends):
    """The median epoch after the first (tracing), else the first from its first step."""
    if len(ends) >= 2:
        gaps = sorted(b - a for a, b in zip(ends, ends[1:]))
        return gaps[len(gaps) // 2]
    if ends and first_step is not None:
        return ends[0] - first_step
    return None


def train_batch(free_bytes, tile, quick):
    """A power-of-two batch for ``free_bytes`` of GPU memory (8 without a GPU)."""
    if quick:
        return 4
    if not free_bytes:
        return 8
    fits = int(free_bytes * GPU_FREE_SHARE // (TRAIN_BYTES_PER_PIXEL * tile * tile))
    batch = 1
    while batch * 2 <= min(fits, 64):
        batch *= 2
    return batch


def train_job(dataset, folder, backend, batch, epochs, quick, report):
    """Train Model's job, the batch halved on out-of-memory; the model file or None."""
    model_path = os.path.join(folder, "model.keras")
    halvings = []
    while True:
        model, encoder = QUICK_NETWORK if quick else NETWORK
        params = {"dataset": dataset, "output_model": model_path, "epochs": epochs,
                  "batch_size": batch, "mixed_precision": "auto", "augment": not quick,
                  "resume_checkpoint": False, "seed": 0, "model": model, "encoder": encoder}
        if quick:
            params["width"] = 0.125
        with GpuMemory() as memory:
            result, error, log, (first, ends), seconds = run_worker(
                "train", params, folder, backend, timeout=600)
        if error and is_oom(error) and batch > 1:
            halvings.append(batch)
            batch //= 2
            say(f"  out of memory: batch halved to {batch}, training again")
            continue
        break
    report["train"] = {"job": "Train Model", "batch": batch, "halvings": halvings,
                       "epochs": epochs, "seconds": round(seconds, 2),
                       "epoch_seconds": epoch_seconds(first, ends),
                       "peak_gpu_mb": memory.peak_mb,
                       "backend_line": backend_line(log),
                       "error": error}
    if error:
        say("  Train Model failed: " + error.strip().splitlines()[0])
        return None
    return model_path


def forward_rate(model, window, batch, bands, passes):
    """Mpx/s (of window pixels) of the network's raw forward pass, batch by batch,
    after one untimed pass (tracing, compilation)."""
    import numpy as np

    from semantic_segmentation.engine.predict import predictors

    predictor, _ = predictors.load_predictor(model, (window, window), bands, "tensorflow")
    x = np.random.default_rng(0).normal(size=(batch, window, window, bands)).astype(np.float32)
    predictor(x)
    start = time.perf_counter()
    for _ in range(passes):
        predictor(x)
    seconds = time.perf_counter() - start
    return batch * window * window * passes / seconds / 1e6, seconds


# ---------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", help="folder of wheels to install from, offline")
    parser.add_argument("--backend", default="auto",
                        choices=("auto", "tensorflow", "torch", "jax"))
    parser.add_argument("--size", type=int, default=0,
                        help="scene width and height (default 10000; --quick 256)")
    parser.add_argument("--work", help="folder for the data (default: a temporary one)")
    parser.add_argument("--out", help="write the report as JSON here")
    parser.add_argument("--quick", action="store_true",
                        help="tiny data and network: minutes become seconds (tests)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = {"quick": args.quick, "installed_wheels": install_wheels(args.wheels)}
    import_plugin()
    from semantic_segmentation.engine import backends, devices

    backend, source = backends.select(None if args.backend == "auto" else args.backend,
                                      environ=os.environ)
    gpus = devices.nvidia_gpus()
    free = devices.gpu_free_bytes() if gpus else None
    facts = backends.describe(backend)
    report.update(backend=backend, backend_source=source, backend_version=facts["version"],
                  device=facts["device"], nvidia_gpus=[list(g) for g in gpus],
                  gpu_free_mb=(free >> 20) if free else None,
                  installed={b: backends.installed(b) for b in backends.KERAS_BACKENDS})
    gpu = bool(gpus) and not facts["device"].startswith("CPU")
    if not gpus:
        say("No NVIDIA GPU found (nvidia-smi): everything runs on the CPU.")
    elif not gpu:
        say(f"An NVIDIA GPU is present ({gpus[0][0]}) but {backend} does not see it: "
            "everything runs on the CPU.")
    say(f"Backend: Keras on {backends.TITLES[backend]} {facts['version']} ({source}); "
        f"device: {facts['device']}.")
    size = args.size or (256 if args.quick else 10000)
    tile = 32 if args.quick else 256
    chips = 8 if args.quick else 512
    epochs = 2 if args.quick else 3
    failed = []
    with tempfile.TemporaryDirectory(prefix="semseg-gpu-check-", dir=args.work) as folder:
        from datasets import write_dataset

        t = time.perf_counter()
        dataset = write_dataset(os.path.join(folder, "dataset"), n_train=chips,
                                n_val=max(2, chips // 8), size=tile)
        scene = write_scene(os.path.join(folder, "scene.tif"), size)
        say(f"Data: {chips} chips of {tile} px, a {size} x {size} scene, "
            f"{time.perf_counter() - t:.1f} s.")
        # -- training
        batch = train_batch(free, tile, args.quick)
        say(f"Train Model's job on {backends.TITLES[backend]}: {epochs} epochs, batch "
            f"{batch} (from {(free or 0) >> 20} MiB free), mixed precision auto...")
        model = train_job(dataset, folder, backend, batch, epochs, args.quick, report)
        if model is None:
            failed.append("train")
        train = report.get("train", {})
        if train.get("epoch_seconds") is not None:
            say(f"  {train['job']}: epoch {train['epoch_seconds']:.2f} s, batch "
                f"{train['batch']}, halvings {train['halvings'] or 'none'}, peak GPU memory "
                f"{train['peak_gpu_mb'] if train['peak_gpu_mb'] is not None else 'n/a'} MiB.")
        # -- prediction
        if model is not None:
            budget = max(512, int(free * 0.5) >> 20) if free else 0
            params = {"input": scene, "model": model,
                      "output": os.path.join(folder, "classes.tif"),
                      "memory_budget": budget}
            with GpuMemory() as memory:
                result, error, log, _, seconds = run_worker("predict", params, folder,
                                                            backend, timeout=900)
            predict = {"seconds": round(seconds, 2), "error": error,
                       "peak_gpu_mb": memory.peak_mb, "memory_budget_mb": budget,
                       "backend_line": backend_line(log),
                       "halvings": [l for l in log if l.startswith("Out of memory")]}
            report["predict"] = predict
            if error:
                failed.append("predict")
                say("Predict Raster failed: " + error.strip().splitlines()[0])
            else:
                plan = result["plan"]
                job_seconds = result["seconds"]
                loading = load_seconds(log)
                predict.update(job_seconds=job_seconds, load_seconds=loading,
                               window=plan["window"], batch=plan["batch"],
                               halvings_count=result["batch_halvings"],
                               mpx_s=round(size * size / max(job_seconds - loading, 1e-3)
                                           / 1e6, 3),
                               mpx_s_with_load=round(size * size / job_seconds / 1e6, 3))
                rate, _ = forward_rate(model, plan["input_shape"][0], plan["batch"], 3,
                                       2 if args.quick else 20)
                report["forward_mpx_s"] = round(rate, 3)
                say(f"Predict Raster's job: {size * size / 1e6:.1f} Mpx in {job_seconds:.1f} s "
                    f"({loading:.1f} s loading the model) = {predict['mpx_s']:.2f} Mpx/s "
                    f"after the load (window {plan['window']}, batch "
                    f"{plan['batch']}, halvings {result['batch_halvings']}), peak GPU memory "
                    f"{memory.peak_mb if memory.peak_mb is not None else 'n/a'} MiB; "
                    f"{predict['backend_line']}")
                say(f"  raw forward pass: {rate:.2f} Mpx/s of windows "
                    f"(batch {plan['batch']} x {plan['input_shape'][0]} px)")
        gdal_mpx, _ = gdal_rate(scene, folder)
        report["gdal_mpx_s"] = round(gdal_mpx, 3)
        say(f"  GDAL raw read + write of the scene: {gdal_mpx:.2f} Mpx/s")
    report["failed"] = failed
    report["seconds"] = round(time.perf_counter() - started, 1)
    say(f"Done in {report['seconds']:.0f} s" + (f"; failed: {', '.join(failed)}" if failed
                                                 else "."))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2, default=str)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
