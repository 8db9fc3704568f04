"""Predict Raster on a Dask cluster (engine/predict/distributed.py, predict/scenes.py):
blocks as tasks, the same bytes as one process, faults, cancel, many scenes.

One LocalCluster of 2 processes serves the module's tests (the kill test goes
last: it kills one of them); the "existing cluster" tests start a scheduler
and 2 workers as separate processes on 127.0.0.1. Tiny untrained network,
small scenes: the module takes about a minute on 2 cores.
"""

import glob
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from osgeo import gdal, ogr

from models_fixture import make_model_file
from rasters import read_raster, synthetic_scene, write_raster
from semantic_segmentation.engine import outputs
from semantic_segmentation.engine.errors import Cancelled, InputError
from semantic_segmentation.engine.predict import distributed, scenes
from semantic_segmentation.engine.predict.prediction import PredictParams, predict_raster
from semantic_segmentation.engine.progress import Progress

pytest.importorskip("distributed")

# an origin that is no multiple of the pixel size, and a pixel size with no exact binary form
ORIGIN = (123456.789, 987654.321)
PIXEL = 0.7
RASTERS = ("output", "output_probability", "output_confidence", "output_entropy")
PLUGINS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "build", "qgis-plugins")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return make_model_file(tmp_path_factory.mktemp("dmodel") / "m.keras",
                           encoder="unet_native")


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    image, _ = synthetic_scene(150, 170, bands=3, seed=3)
    folder = tmp_path_factory.mktemp("dscene")
    return write_raster(folder / "scene.tif", image, pixel=PIXEL, origin=ORIGIN)


def _paths(folder, tag):
    return {"output": str(folder / f"{tag}_classes.tif"),
            "output_probability": str(folder / f"{tag}_prob.tif"),
            "output_confidence": str(folder / f"{tag}_conf.tif"),
            "output_entropy": str(folder / f"{tag}_entropy.tif"),
            "output_vector": str(folder / f"{tag}_poly.gpkg")}


@pytest.fixture(scope="module")
def single(model, scene, tmp_path_factory):
    """The one-process run every cluster run must match."""
    paths = _paths(tmp_path_factory.mktemp("dsingle"), "one")
    result = predict_raster(PredictParams(input=scene, model=model, tile_size=64,
                                          probability_format="float", **paths))
    return result, paths


@pytest.fixture(scope="module")
def session():
    with distributed.connect(workers=2) as s:
        yield s


def _polygons(path):
    ds = ogr.Open(path)
    return sorted((f.GetField("class"), round(f.GetField("area"), 6),
                   f.GetGeometryRef().ExportToWkt()) for f in ds.GetLayer())


def _assert_same(single_paths, paths, files=True):
    for key in RASTERS:
        a, b = single_paths[key], paths[key]
        np.testing.assert_array_equal(read_raster(a)[0], read_raster(b)[0])
        da, db = gdal.Open(a), gdal.Open(b)
        assert da.GetGeoTransform() == db.GetGeoTransform()
        assert da.GetMetadata() == db.GetMetadata()
        assert da.GetRasterBand(1).GetOverviewCount() == db.GetRasterBand(1).GetOverviewCount()
        if files:  # small outputs: the GDAL block cache holds them whole, written alike
            with open(a, "rb") as fa, open(b, "rb") as fb:
                assert fa.read() == fb.read(), key
    assert _polygons(single_paths["output_vector"]) == _polygons(paths["output_vector"])


def _run(session, scene, model, paths, progress=None, block_size=40):
    params = PredictParams(input=scene, model=model, tile_size=64, probability_format="float",
                           **paths)
    return distributed.run_scenes(session, [(None, params)], progress,
                                  block_size=block_size)[0]


def test_blocks_cut_on_window_starts_and_cover_the_grid(single):
    from semantic_segmentation.engine.predict import window_plan
    from semantic_segmentation.engine.data.raster import Window

    plan = window_plan.make_plan(window_plan.PlanRequest(
        meta={"tile_size": 64, "required_divisor": 16, "model": "unet"}, scene=(170, 150),
        grid=Window(0, 0, 170, 150), n_bands=3, n_classes=3, tile_size=64))
    blocks = distributed.block_windows(plan, 32)
    assert sum(b.width * b.height for b in blocks) == 170 * 150
    assert {b.x for b in blocks} <= {0, *plan.xs} and {b.y for b in blocks} <= {0, *plan.ys}
    assert len(blocks) > 4  # cuts through windows (every cut is inside the window before)
    assert distributed.block_windows(plan, 10000) == [Window(0, 0, 170, 150)]


def test_local_cluster_gives_the_same_bytes_as_one_process(session, single, scene, model,
                                                           tmp_path):
    one, single_paths = single
    paths = _paths(tmp_path, "two")
    seen = []
    result = _run(session, scene, model, paths,
                  Progress(lambda v, **_: v is None or seen.append(v) or True))
    _assert_same(single_paths, paths)
    assert result["pixels"] == one["pixels"]
    assert result["blocks"] > 4 and result["windows"] > one["windows"]
    assert result["worker_processes"] == 2
    assert result["model_loads"] == 2  # once per worker process, not once per block
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > result["blocks"]
    assert outputs.stale_partials(str(tmp_path)) == []


def test_a_block_that_fails_for_a_data_reason_stops_the_job(session, model, tmp_path):
    """A mosaic whose middle source file is gone: the blocks over it fail with
    GDAL's read error (the drift check's samples miss it, so planning passes)."""
    image, _ = synthetic_scene(64, 640, bands=3, seed=5)
    parts = []
    for name, (x0, x1) in {"a": (0, 330), "hole": (330, 370), "c": (370, 640)}.items():
        parts.append(write_raster(tmp_path / f"{name}.tif", image[:, x0:x1], pixel=PIXEL,
                                  origin=(ORIGIN[0] + x0 * PIXEL, ORIGIN[1])))
    vrt = str(tmp_path / "mosaic.vrt")
    gdal.BuildVRT(vrt, parts).FlushCache()
    os.remove(parts[1])
    paths = _paths(tmp_path, "bad")
    warnings = []
    with pytest.raises(InputError, match="hole.tif"):
        distributed.run_scenes(session, [(None, PredictParams(
            input=vrt, model=model, tile_size=64, output=paths["output"],
            output_entropy=paths["output_entropy"]))],
            Progress(None, lambda m, level=None: warnings.append(str(m))), block_size=64)
    assert any("block" in w and "failed" in w for w in warnings)
    assert not os.path.exists(paths["output"]) and outputs.stale_partials(str(tmp_path)) == []


def test_cancel_cancels_pending_blocks_and_leaves_nothing(session, scene, model, tmp_path,
                                                          monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    paths = _paths(tmp_path, "cancel")
    calls = []

    def callback(value, **_):
        calls.append(value)
        return not (value or 0) > 0  # cancel once the first block is done

    with pytest.raises(Cancelled):
        _run(session, scene, model, paths, Progress(callback), block_size=32)
    assert [p for p in paths.values() if os.path.exists(p)] == []
    assert outputs.stale_partials(str(tmp_path)) == []
    assert os.listdir(scratch) == []  # the blocks folder is gone
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the scheduler forgets the cancelled tasks
        if session.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) \
                == 0:
            break
        time.sleep(0.2)
    assert session.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0


def test_many_scenes_one_failing_on_the_same_cluster(session, scene, model, tmp_path):
    other = write_raster(tmp_path / "other.tif", synthetic_scene(70, 90, bands=3, seed=8)[0],
                         pixel=PIXEL, origin=ORIGIN)
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"not a raster")
    messages = []
    result = scenes.run_job({"inputs": [scene, str(broken), other], "model": model,
                             "output_folder": str(tmp_path / "out"), "tile_size": 64,
                             "entropy": True, "workers": 2, "block_size": 64},
                            Progress(None, lambda m, level=None: messages.append(str(m))))
    assert [s["scene"] for s in result["scenes"]] == ["scene", "other"]
    assert [s["scene"] for s in result["failed"]] == ["broken"]
    assert any("broken" in m and "failed" in m for m in messages)
    out = tmp_path / "out"
    assert sorted(f for f in os.listdir(out) if f.endswith(".tif")) == ["other_classes.tif", "other_entropy.tif",
                                       "scene_classes.tif", "scene_entropy.tif"]
    # each scene as a single run of it writes it
    alone = predict_raster(PredictParams(input=other, model=model, tile_size=64,
                                         output=str(tmp_path / "alone.tif")))
    np.testing.assert_array_equal(read_raster(str(out / "other_classes.tif"))[0],
                                  read_raster(alone["output"])[0])


def test_many_scenes_in_one_process_load_the_model_once(scene, model, tmp_path,
                                                         monkeypatch):
    from semantic_segmentation.engine.predict import predictors

    loads = []
    real = predictors.load_predictor
    monkeypatch.setattr(predictors, "load_predictor",
                        lambda *a, **k: loads.append(a) or real(*a, **k))
    result = scenes.run_job({"inputs": [scene, scene], "model": model, "tile_size": 64,
                             "output_folder": str(tmp_path)})
    assert [s["scene"] for s in result["scenes"]] == ["scene", "scene_2"]
    assert len(loads) == 1
    np.testing.assert_array_equal(read_raster(str(tmp_path / "scene_classes.tif"))[0],
                                  read_raster(str(tmp_path / "scene_2_classes.tif"))[0])


@pytest.fixture(scope="module")
def external(tmp_path_factory):
    """A scheduler and 2 workers started as processes of their own on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("dask")
    address_file = str(folder / "scheduler.json")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (PLUGINS, os.environ.get("PYTHONPATH")) if p), TF_CPP_MIN_LOG_LEVEL="2",
        OMP_NUM_THREADS="1")
    procs = [subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", "0", "--no-dashboard", "--scheduler-file", address_file],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(address_file) and time.monotonic() < deadline:
            time.sleep(0.1)
        for _ in range(2):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
                 address_file, "--nthreads", "1", "--no-dashboard", "--no-nanny",
                 "--host", "127.0.0.1", "--local-directory", str(folder)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        import json

        with open(address_file, encoding="utf-8") as f:
            address = json.load(f)["address"]
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_existing_cluster_by_address_gives_the_same_bytes(external, single, scene, model,
                                                          tmp_path, monkeypatch):
    monkeypatch.setenv(distributed.SCHEDULER_ENV, "")
    one, single_paths = single
    paths = _paths(tmp_path, "ext")
    params = {"input": scene, "model": model, "tile_size": 64, "probability_format": "float",
              "scheduler": external, "block_size": 40, **paths}
    result = distributed.run_job(params)
    _assert_same(single_paths, paths)
    assert result["worker_processes"] == 2 and result["model_loads"] == 2
    assert glob.glob(str(tmp_path / ".semseg-blocks-*")) == []  # removed after the job


def test_existing_cluster_refuses_a_model_its_workers_cannot_read(external, scene, model,
                                                                 tmp_path):
    """A path this process can read and the workers cannot: /proc/self/fd/N of
    a file this process holds open (the workers have no such descriptor)."""
    fd = os.open(model, os.O_RDONLY)
    high = os.dup2(fd, 987)
    try:
        private = f"/proc/self/fd/{high}"
        with pytest.raises(InputError, match=f"cannot read or write {private}"):
            distributed.run_job({"input": scene, "model": private, "scheduler": external,
                                 "output": str(tmp_path / "x.tif"), "tile_size": 64})
    finally:
        os.close(high)
        os.close(fd)
    assert os.listdir(tmp_path) == []  # nothing written, no blocks folder left


def test_a_killed_worker_costs_time_not_bytes(session, single, scene, model, tmp_path):
    """Kill one of the two worker processes once the first block is done: its
    blocks run again elsewhere, and the outputs are still the same bytes."""
    _, single_paths = single
    pids = session.client.run(os.getpid)
    victim = sorted(pids.values())[0]
    killed = []

    def callback(value, **_):
        if value and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        return True

    paths = _paths(tmp_path, "kill")
    result = _run(session, scene, model, paths, Progress(callback), block_size=32)
    assert killed
    _assert_same(single_paths, paths)
    assert result["blocks"] > 8
