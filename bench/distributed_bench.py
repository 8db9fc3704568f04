"""Predict Raster on a Dask cluster (issue 24): one process against a LocalCluster
of 2 worker processes on this machine, through the engine's worker process
(``python -m semantic_segmentation.engine JOB.json``) as QGIS runs it.

(a) A 10000² scene (a VRT mosaic of a 2000² GeoTIFF), the tiny network of
    prediction_bench (unet + unet_native, width 0.125, tile 256, batch 8, 3
    bands, 4 classes): wall time and throughput (Mpixel/s) of task
    ``predict`` (one process) and ``predict_cluster`` (workers=2, blocks of
    2048²), the peak RSS of the one process, of the cluster run's client
    process and of each Dask worker process; whether the class rasters are
    the same pixels.
(b) Scheduling overhead: the round trip of 200 no-op tasks on a 2-process
    LocalCluster (per task), and, from (a), wall x workers minus the blocks'
    own seconds, per block (start-up, model loading, idle tail and assembly
    included: an upper bound).
(c) Many scenes: 4 scenes of 5000² (VRT mosaics) through ``predict_scenes``
    in one process and on 2 workers, against (a)'s single scene, in
    Mpixel/s.

Usage: python bench/distributed_bench.py [--side 10000] [--output bench/results/distributed.txt]
"""

import argparse
import os
import time

import numpy as np

import benchlib

benchlib.import_plugin()
import prediction_bench as pb  # noqa: E402

DATA = os.path.join(pb.DATA, "distributed")


def run_worker(task, params, name):
    """(seconds, the worker's peak RSS MiB, result) of one engine job."""
    return pb.engine_job_rss(task, params, DATA, name)


def _noop(i):
    return i


def noop_overhead(n=200):
    from semantic_segmentation.engine.predict import distributed

    with distributed.connect(workers=2) as session:
        session.client.gather(session.client.map(_noop, range(10), pure=False))  # warm
        start = time.perf_counter()
        for i in range(n):  # one at a time: the round trip
            session.client.submit(_noop, i, pure=False).result()
        serial = (time.perf_counter() - start) / n
        start = time.perf_counter()
        session.client.gather(session.client.map(_noop, range(n), pure=False))
        batched = (time.perf_counter() - start) / n
    return serial, batched


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=10000)
    parser.add_argument("--scenes-side", type=int, default=5000)
    parser.add_argument("--output", default=os.path.join(pb.ROOT, "bench", "results",
                                                         "distributed.txt"))
    args = parser.parse_args()
    os.makedirs(DATA, exist_ok=True)
    lines = []

    def say(line=""):
        print(line, flush=True)
        lines.append(line)

    model = os.path.join(DATA, "tiny.keras")
    if not os.path.exists(model):
        pb.make_model(model, "unet_native", 0.125)
    tile = pb.make_scene(os.path.join(DATA, "tile2000.tif"), 2000)
    side = args.side
    repeat = -(-side // 2000)
    scene = pb.make_mosaic(os.path.join(DATA, f"scene{side}.vrt"), tile, 2000, repeat,
                           size=side)
    common = {"model": model, "tile_size": pb.TILE, "batch_size": pb.BATCH,
              "memory_budget": 4096}
    say(f"Predict Raster on a Dask cluster; machine: {os.cpu_count()} CPUs, load "
        f"{benchlib.load()}")
    say(f"(a) {side}² scene, tiny network (unet + unet_native 0.125, tile {pb.TILE}, "
        f"batch {pb.BATCH})")
    from osgeo import gdal

    runs = {}
    for name, task, extra in (("one process", "predict", {}),
                              ("LocalCluster, 2 workers", "predict_cluster",
                               {"workers": 2})):
        out = os.path.join(DATA, f"out_{task}.tif")
        seconds, rss, result = run_worker(task, dict(common, input=scene, output=out,
                                                     **extra), task)
        runs[task] = out
        mpx = side * side / seconds / 1e6
        say(f"  {name:24s} {seconds:7.1f} s  {mpx:5.2f} Mpixel/s  peak RSS of the engine "
            f"process {rss:6.0f} MiB")
        if task == "predict_cluster":
            say(f"  {'':24s} {result['blocks']} blocks, {result['windows']} windows "
                f"({result['windows_planned']} planned), model loads {result['model_loads']}")
            for addr, mib in sorted(result.get("worker_peak_rss_mib", {}).items()):
                say(f"  {'':24s} Dask worker {addr}: peak RSS {mib:6.0f} MiB")
            overhead = (seconds * 2 - result["block_seconds"]) / result["blocks"]
            runs["overhead"] = overhead
    same = np.array_equal(gdal.Open(runs["predict"]).ReadAsArray(),
                          gdal.Open(runs["predict_cluster"]).ReadAsArray())
    say(f"  class rasters pixel-identical: {same}")
    serial, batched = noop_overhead()
    say("(b) scheduling overhead")
    say(f"  no-op task round trip on a 2-process LocalCluster: {serial * 1e3:.2f} ms "
        f"one at a time, {batched * 1e3:.2f} ms each when 200 are queued")
    say(f"  (a)'s cluster run: (wall x 2 workers - block seconds) / blocks = "
        f"{runs['overhead']:.2f} s per block (process start, TensorFlow import, model "
        f"load, idle tail and assembly included)")
    n_side = args.scenes_side
    scenes = [pb.make_mosaic(os.path.join(DATA, f"many{i}.vrt"), tile, 2000,
                             -(-n_side // 2000), size=n_side) for i in range(4)]
    say(f"(c) many scenes: 4 x {n_side}² through predict_scenes")
    for name, extra in (("one process", {}), ("LocalCluster, 2 workers", {"workers": 2})):
        folder = os.path.join(DATA, "many_" + ("cluster" if extra else "one"))
        seconds, rss, result = run_worker("predict_scenes", dict(
            common, inputs=scenes, output_folder=folder, **extra), "many" + str(bool(extra)))
        mpx = 4 * n_side * n_side / seconds / 1e6
        say(f"  {name:24s} {seconds:7.1f} s  {mpx:5.2f} Mpixel/s  ({len(result['scenes'])} "
            f"scenes, {len(result['failed'])} failed; peak RSS {rss:.0f} MiB)")
    with open(args.output, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
