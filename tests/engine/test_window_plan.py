"""Predict Raster's plan and stream without a network: window plans made
before TensorFlow, skipped windows, test-time augmentation, out-of-memory
halving, uncertainty and "label next" outputs, with fake predictors (NumPy
functions behind the predictor seam) over a model file that holds only
metadata."""

import json
import os
import subprocess  # nosec B404
import sys
import textwrap
import zipfile

import numpy as np
import pytest
from osgeo import gdal, ogr

from rasters import ORIGIN, read_raster, synthetic_scene, write_raster
from semantic_segmentation.engine import devices
from semantic_segmentation.engine.data import raster
from semantic_segmentation.engine.errors import InputError
from semantic_segmentation.engine.predict import window_plan, predictors
from semantic_segmentation.engine.predict.prediction import (PredictParams, plan_prediction,
                                                             predict_raster)

PIXEL = 30.0
PLUGINS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "build", "qgis-plugins")


def metadata_model(path, model="unet", tile=64, divisor=16, bands=3, values=(10, 20, 30)):
    """A .keras archive with our metadata and no network: enough for the plan."""
    meta = {"format": "semseg-model", "version": 1, "model": model, "encoder": "unet_native",
            "classes": [{"value": v, "name": f"c{v}", "color": [v, v, v]} for v in values],
            "bands": bands, "mean": [100.0] * bands, "std": [10.0] * bands,
            "tile_size": tile, "required_divisor": divisor, "output_stride": 16}
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("config.json", "{}")
        z.writestr("semseg.json", json.dumps(meta))
    return str(path)


def pixelwise(x):
    """Class probabilities from each pixel's bands alone (softmax of 2 x bands)."""
    logits = 2.0 * x[..., :3]
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype(np.float32)


class Counting:
    def __init__(self, fn=pixelwise):
        self.fn, self.batches = fn, []

    def __call__(self, x):
        self.batches.append(len(x))
        return self.fn(x)


@pytest.fixture
def model(tmp_path):
    return metadata_model(tmp_path / "meta.keras")


def _run(model, src, out, predictor=None, **kw):
    return predict_raster(PredictParams(input=src, model=model, output=str(out), **kw),
                          predictor=predictor or Counting())


# ---------------------------------------------------------------- the plan
def test_bad_overlap_or_tile_fails_fast_without_tensorflow_or_file(tmp_path, model):
    src = write_raster(tmp_path / "s.tif", synthetic_scene(64, 64)[0])
    script = textwrap.dedent(f"""
        import sys, time, os
        sys.path.insert(0, {PLUGINS!r})
        from semantic_segmentation.engine.predict.prediction import (PredictParams, plan_prediction,
                                                             predict_raster)
        from semantic_segmentation.engine.errors import InputError
        for kw in (dict(tile_size=64, overlap=64), dict(tile_size=7), dict(overlap=-3),
                   dict(batch_size=-1), dict(tta="d8")):
            t = time.perf_counter()
            try:
                predict_raster(PredictParams(input={src!r}, model={model!r},
                                             output={str(tmp_path / "o.tif")!r}, **kw))
            except InputError as exc:
                print(round(time.perf_counter() - t, 3), "|", exc)
        print("tensorflow" in sys.modules, "keras" in sys.modules)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)  # nosec B603
    lines = run.stdout.strip().splitlines()
    assert run.returncode == 0 and len(lines) == 6, run.stdout + run.stderr
    assert "OVERLAP" in lines[0] and "TILE_SIZE" in lines[1] and "OVERLAP" in lines[2]
    assert "BATCH_SIZE" in lines[3] and "TTA" in lines[4]
    assert all(float(line.split("|")[0]) < 1.0 for line in lines[:5])
    assert lines[5] == "False False"
    assert os.listdir(tmp_path) == sorted(os.listdir(tmp_path)) and \
        set(os.listdir(tmp_path)) == {"s.tif", "meta.keras"}


def _plan(model="unet", scene=(3000, 2000), grid=None, budget=512 << 20, **kw):
    meta = {"model": model, "tile_size": 128, "required_divisor": 32}
    grid = grid or raster.Window(0, 0, *scene)
    return window_plan.make_plan(window_plan.PlanRequest(meta, scene, grid, 3, 4,
                                                         budget=budget, **kw))


def test_auto_window_grows_for_convolutional_networks_only():
    fcn = _plan("unet")
    assert fcn.window == 512 > 128 and fcn.overlap == 64 and fcn.batch >= 1
    assert dict(fcn.choices) == {"window": "auto", "overlap": "auto", "batch": "auto"}
    assert fcn.memory_bytes <= fcn.budget_bytes
    for context in ("pspnet", "deeplab_v3", "deeplab_v3p", "icnet"):
        plan = _plan(context)
        assert plan.window == 128 and plan.overlap == 32, context
    assert _plan("dense_aspp").overlap == 128
    assert _plan("unet", tile_size=256).window == 256  # the user's value wins
    small = _plan("unet", scene=(100, 90))
    assert small.window == 128 and small.n_windows == 1  # never beyond what the scene needs
    assert _plan("unet", batch_size=3, tile_size=256).batch == 3


def test_plan_anchors_windows_to_the_scene_and_counts_windows_outside_extent():
    whole = _plan("unet", tile_size=128, overlap=32)
    part = _plan("unet", tile_size=128, overlap=32, grid=raster.Window(1000, 500, 300, 200))
    assert set(part.windows()) < set(whole.windows())
    assert part.n_windows + part.skipped == whole.n_windows
    assert part.hull.x <= 1000 and part.hull.x + part.hull.width >= 1300
    assert all(w.x % 96 == 0 for w in part.windows())


def test_free_memory_only_lowers_an_automatic_batch():
    plan = _plan("unet", tile_size=256)
    assert plan.batch > 1
    assert plan.lower_batch(64 << 30) == plan  # plenty: never raised
    assert plan.lower_batch(None) == plan  # unknown: unchanged
    low = plan.lower_batch(window_plan.window_bytes(plan.input_shape, 3) * 2, bands=3)
    assert low.batch == 2 and low.window == plan.window and low.xs == plan.xs
    assert _plan("unet", tile_size=256, batch_size=2).lower_batch(1).batch == 2


# ---------------------------------------------------------------- the predictor seam
def test_gpu_budget_comes_from_nvidia_smi_free_memory(tmp_path, monkeypatch):
    fake = tmp_path / "nvidia-smi"
    fake.write_text("#!/bin/sh\necho 1000\necho 20000\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    assert devices.gpu_free_bytes() == 20000 << 20
    assert predictors.gpu_budget(4 << 30) == int((20000 << 20) * predictors.GPU_FREE_SHARE)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    plan = _plan("unet", tile_size=256, budget=4 << 30)
    small = plan.lower_batch(predictors.gpu_budget(4 << 30))
    large = plan.lower_batch(20000 << 20)
    assert small.batch < large.batch == plan.batch  # less free memory, smaller batch
    fake.write_text("#!/bin/sh\nexit 9\n")  # no answer: the default, or None
    assert devices.gpu_free_bytes() is None and predictors.gpu_budget(123) == 123
    assert predictors.gpu_budget() is None
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    assert predictors.gpu_budget(4 << 30) == 4 << 30


def test_out_of_memory_halves_the_batch_and_retries(tmp_path, model):
    import tensorflow as tf

    class Exhausting(Counting):
        def __call__(self, x):
            if not self.batches:
                self.batches.append(-len(x))
                raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating")
            return super().__call__(x)

    src = write_raster(tmp_path / "s.tif", synthetic_scene(160, 200)[0])
    fake = Exhausting()
    result = _run(model, src, tmp_path / "a.tif", fake, tile_size=64, batch_size=8)
    assert result["batch_halvings"] == 1 and fake.batches[0] == -8
    assert max(fake.batches[1:]) == 4
    reference = _run(model, src, tmp_path / "b.tif", tile_size=64, batch_size=8)
    assert (read_raster(tmp_path / "a.tif")[0] == read_raster(tmp_path / "b.tif")[0]).all()
    assert reference["batch_halvings"] == 0

    def never_fits(x):
        raise tf.errors.ResourceExhaustedError(None, None, "OOM")

    with pytest.raises(tf.errors.ResourceExhaustedError):
        _run(model, src, tmp_path / "c.tif", never_fits, tile_size=64, batch_size=2)
    assert not (tmp_path / "c.tif").exists()


def oriented(x):
    """A predictor that is not equivariant: logits are running sums along rows."""
    logits = np.stack([np.cumsum(x[..., 0], axis=2), np.cumsum(x[..., 1], axis=1),
                       x[..., 2]], axis=-1) / 8.0
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype(np.float32)


def test_tta_is_invariant_on_a_symmetric_input():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(16, 16, 3)).astype(np.float32)
    a = a + a[::-1] + a[:, ::-1] + a[::-1, ::-1]  # flip-symmetric
    sym = (a + np.swapaxes(a, 0, 1))[None]  # and transpose-symmetric: the D4 group
    plain = predictors.predict_tta(oriented, sym, "none")[0]
    assert not np.allclose(plain, plain[::-1])  # the fake is orientation-dependent
    flips = predictors.predict_tta(oriented, sym, "flips")[0]
    np.testing.assert_allclose(flips, flips[::-1], atol=1e-6)
    np.testing.assert_allclose(flips, flips[:, ::-1], atol=1e-6)
    d4 = predictors.predict_tta(oriented, sym, "d4", batch=3)[0]
    for t in predictors.TTA_TRANSFORMS["d4"]:
        np.testing.assert_allclose(predictors.apply_transform(d4, t), d4, atol=1e-6)
    np.testing.assert_allclose(d4.sum(-1), 1.0, atol=1e-5)


def test_tta_runs_in_the_stream_within_the_batch(tmp_path, model):
    src = write_raster(tmp_path / "s.tif", synthetic_scene(96, 128)[0])
    fake = Counting(oriented)
    result = _run(model, src, tmp_path / "d4.tif", fake, tile_size=64, batch_size=4,
                  tta="d4")
    assert max(fake.batches) <= 4 and sum(fake.batches) == 8 * result["windows"]
    assert result["plan"]["tta"] == "d4"


def test_per_image_mode_honours_batch_size(tmp_path, model):
    src = write_raster(tmp_path / "s.tif", synthetic_scene(50, 70)[0])
    fake = Counting()
    _run(model, src, tmp_path / "o.tif", fake, mode="per_image", tta="d4", batch_size=3)
    assert fake.batches == [3, 3, 2]


# ---------------------------------------------------------------- skipped windows
def test_empty_windows_get_no_forward_pass(tmp_path, model):
    image, _ = synthetic_scene(160, 256)
    image[:, :128] = 0  # the left half is nodata
    src = write_raster(tmp_path / "half.tif", image, nodata=0)
    fake = Counting()
    result = _run(model, src, tmp_path / "o.tif", fake, tile_size=64, overlap=32)
    windows = raster.grid_windows(256, 160, 64, 32)
    empty = sum(w.x + w.width <= 128 for w in windows)
    assert result["windows_empty"] == empty == 3 * 4
    assert result["windows"] == sum(fake.batches) == len(windows) - empty
    out, _ = read_raster(tmp_path / "o.tif")
    assert (out[:, :128] == 255).all() and (out[:, 128:] != 255).all()
    # Outside EXTENT: not read at all.
    x0, y0 = ORIGIN
    extent = [x0 + 140 * PIXEL, y0 - 60 * PIXEL, x0 + 200 * PIXEL, y0 - 10 * PIXEL]
    result = _run(model, src, tmp_path / "e.tif", tile_size=64, overlap=32, extent=extent)
    assert result["windows_outside_extent"] > 0
    assert result["windows"] + result["windows_outside_extent"] == len(windows)
    assert result["windows_skipped"] == result["windows_outside_extent"]


# ---------------------------------------------------------------- uncertainty
def test_confidence_and_entropy_are_in_range_and_keep_nodata(tmp_path, model):
    image, _ = synthetic_scene(80, 100, seed=6)
    image[10:20, 30:60, 1] = 0
    src = write_raster(tmp_path / "nd.tif", image, nodata=0)
    paths = {k: str(tmp_path / f"{k}.tif") for k in ("confidence", "entropy", "prob")}
    _run(model, src, tmp_path / "c.tif", tile_size=64, output_confidence=paths["confidence"],
         output_entropy=paths["entropy"], output_probability=paths["prob"],
         probability_format="float")
    nodata = (image == 0).any(-1)
    conf, cds = read_raster(paths["confidence"])
    ent, eds = read_raster(paths["entropy"])
    prob, _ = read_raster(paths["prob"])
    conf, ent = conf[..., 0], ent[..., 0]
    for ds in (cds, eds):
        band = ds.GetRasterBand(1)
        assert band.DataType == gdal.GDT_Float32 and band.GetNoDataValue() == -1
    assert (conf[nodata] == -1).all() and (ent[nodata] == -1).all()
    assert (conf[~nodata] >= 1 / 3 - 1e-6).all() and (conf[~nodata] <= 1).all()
    assert (ent[~nodata] >= 0).all() and (ent[~nodata] <= 1).all()
    p = prob[~nodata]
    expected = -(p * np.log(np.clip(p, 1e-12, 1))).sum(-1) / np.log(3)
    np.testing.assert_allclose(ent[~nodata], expected, atol=1e-4)
    np.testing.assert_allclose(conf[~nodata], p.max(-1), atol=1e-6)


def test_entropy_spans_zero_to_one(tmp_path, model):
    def extremes(x):
        """Certain where band 1 is bright, uniform elsewhere."""
        p = np.full(x.shape[:3] + (3,), 1 / 3, np.float32)
        certain = x[..., 0] > 0
        p[certain] = (1.0, 0.0, 0.0)
        return p

    image = np.full((64, 64, 3), 100, np.uint16)
    image[:, :32, 0] = 200
    src = write_raster(tmp_path / "s.tif", image)
    _run(model, src, tmp_path / "c.tif", extremes, tile_size=64,
         output_entropy=str(tmp_path / "e.tif"))
    ent, _ = read_raster(tmp_path / "e.tif")
    assert np.allclose(ent[:, :32], 0.0, atol=1e-6) and np.allclose(ent[:, 32:], 1.0, atol=1e-5)


# ---------------------------------------------------------------- label next
def test_label_next_ranks_the_most_uncertain_cells(tmp_path, model):
    def uncertain_right(x):
        """Confident class 0 except in columns where band 2 is bright: a 50/50 mix."""
        p = np.zeros(x.shape[:3] + (3,), np.float32)
        p[..., 0] = 1.0
        mixed = x[..., 1] > 0
        p[mixed] = (0.5, 0.5, 0.0)
        return p

    image = np.full((128, 192, 3), 100, np.uint16)
    image[:, 128:, 1] = 200  # the third column of 64-pixel cells is uncertain
    image[64:, 100:128, 1] = 200  # part of cell (1, 1) too
    src = write_raster(tmp_path / "s.tif", image)
    gpkg = str(tmp_path / "next.gpkg")
    result = _run(model, src, tmp_path / "c.tif", uncertain_right, tile_size=64,
                  output_label_next=gpkg, label_next_count=4)
    assert result["output_label_next"] == gpkg
    ds = ogr.Open(gpkg)
    layer = ds.GetLayer(0)
    fields = [layer.GetLayerDefn().GetFieldDefn(i).GetName()
              for i in range(layer.GetLayerDefn().GetFieldCount())]
    assert fields == ["rank", "score", "class", "class_mix", "valid"]
    rows = [(f["rank"], f["score"], f["class"], json.loads(f["class_mix"]),
             f.GetGeometryRef().GetEnvelope()) for f in layer]
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    scores = [r[1] for r in rows]
    assert scores == sorted(scores, reverse=True)
    x0, y0 = ORIGIN
    top_two = sorted(r[4] for r in rows[:2])  # the two cells of the third column
    assert top_two[0] == pytest.approx((x0 + 128 * PIXEL, x0 + 192 * PIXEL,
                                        y0 - 128 * PIXEL, y0 - 64 * PIXEL))
    assert scores[0] == pytest.approx(np.log(2) / np.log(3), abs=1e-4)
    assert rows[2][1] == pytest.approx(scores[0] * 28 / 64, abs=1e-3)  # cell (1, 1)
    assert set(rows[0][3]) == {"c10", "c20", "c30"} and rows[0][2] in (10, 20)
    assert layer.GetSpatialRef() is not None
    ds = None


# ---------------------------------------------------------------- the scene's grid
# Like the Landsat scene: an origin that is no multiple of the 30 m pixel size.
LANDSAT = (452475.0, 3408675.0)


def smoothing(x):
    """A predictor with spatial context: each pixel's classes from a 9 x 9 mean of
    its bands (zero padding at the window edge), so window placement matters."""
    k = 4
    padded = np.pad(x[..., :3], ((0, 0), (k, k), (k, k), (0, 0)))
    total = np.zeros(x.shape[:3] + (3,), np.float32)
    for dy in range(2 * k + 1):
        for dx in range(2 * k + 1):
            total += padded[:, dy:dy + x.shape[1], dx:dx + x.shape[2]]
    return pixelwise(total / (2 * k + 1) ** 2 * 3.0)


@pytest.mark.parametrize("resolution, pixel", [(30.0, 30.0), (60.0, 60.0)])
def test_extent_halves_mosaic_byte_for_byte_into_the_whole_run(tmp_path, model, resolution,
                                                                pixel):
    """At the layer's own resolution (what Predict Raster used to turn into a
    warp) the output is on the input's grid; at another resolution on a grid
    anchored at its origin; either way two EXTENT halves mosaic into one run."""
    image, _ = synthetic_scene(150, 170, seed=3)
    src = write_raster(tmp_path / "scene.tif", image, origin=LANDSAT)
    x0, y0 = LANDSAT
    x1, y1 = x0 + 170 * PIXEL, y0 - 150 * PIXEL
    kw = dict(tile_size=64, overlap=16, resolution=resolution)
    _run(model, src, tmp_path / "whole.tif", Counting(smoothing), **kw)
    whole, ds = read_raster(tmp_path / "whole.tif")
    assert ds.GetGeoTransform() == (x0, pixel, 0.0, y0, 0.0, -pixel)
    assert whole.shape[:2] == (round(150 * PIXEL / pixel), round(170 * PIXEL / pixel))
    if pixel == PIXEL:  # the input's pixels, not a resampled copy
        np.testing.assert_array_equal(
            whole[..., 0], read_raster(_run_plain(model, src, tmp_path))[0][..., 0])
    cut_row, cut_col = y0 - 37.3 * pixel, x0 + 41.6 * pixel  # inside pixels: both halves
    parts = {"top": [x0, cut_row, x1, y0], "bottom": [x0, y1, x1, cut_row],  # take them
             "left": [x0, y1, cut_col, y0], "right": [cut_col, y1, x1, y0]}
    got = {}
    for name, extent in parts.items():
        _run(model, src, tmp_path / f"{name}.tif", Counting(smoothing), extent=extent, **kw)
        got[name], part = read_raster(tmp_path / f"{name}.tif")
        gx, _, _, gy, _, _ = part.GetGeoTransform()
        assert (gx - x0) % pixel == 0 and (y0 - gy) % pixel == 0  # on the whole run's grid
    assert got["top"].shape[0] == 38 and got["left"].shape[1] == 42  # snapped outward
    assert np.array_equal(np.concatenate([got["top"][:-1], got["bottom"]], axis=0), whole)
    assert np.array_equal(np.concatenate([got["left"][:, :-1], got["right"]], axis=1), whole)


def _run_plain(model, src, tmp_path):
    out = tmp_path / "plain.tif"
    _run(model, src, out, Counting(smoothing), tile_size=64, overlap=16)
    return out


# ---------------------------------------------------------------- one plan everywhere
def _meminfo(tmp_path, mib):
    path = tmp_path / f"meminfo_{mib}"
    path.write_text(f"MemTotal: {4 * mib * 1024} kB\nMemAvailable: {mib * 1024} kB\n")
    return str(path)


def test_the_plan_depends_on_the_parameters_not_on_free_memory(tmp_path, monkeypatch):
    meta = {"model": "unet", "tile_size": 128, "required_divisor": 32}

    def plan(**kw):
        return window_plan.make_plan(window_plan.PlanRequest(
            meta, (3000, 2000), raster.Window(0, 0, 3000, 2000), 3, 4, **kw))

    plans = []
    for mib in (200, 700, 64 << 10):  # what picked 352 / 496 / 512 px windows
        monkeypatch.setattr(window_plan, "MEMINFO", _meminfo(tmp_path, mib))
        assert window_plan.available_memory() == mib << 20
        plans.append(plan())
    assert plans[0] == plans[1] == plans[2]
    assert plans[0].budget_bytes == window_plan.DEFAULT_BUDGET_MIB << 20 == 512 << 20
    assert plans[0].window == 512 and plans[0].memory_bytes <= plans[0].budget_bytes
    smaller = plan(budget=window_plan.budget_bytes(128))  # MEMORY_BUDGET changes it
    assert smaller.window < 512 and smaller.memory_bytes <= 128 << 20


def _large_scene(path, size=9000):
    """A sparse 9000 x 9000 GeoTIFF (nothing written): a scene as large as a
    Landsat one, for plans."""
    ds = gdal.GetDriverByName("GTiff").Create(str(path), size, size, 3, gdal.GDT_UInt16,
                                              options=["SPARSE_OK=TRUE", "TILED=YES"])
    ds.SetGeoTransform((LANDSAT[0], PIXEL, 0.0, LANDSAT[1], 0.0, -PIXEL))
    ds = None
    return str(path)


@pytest.mark.parametrize("kw", [dict(tile_size=8192), dict(tile_size=256, batch_size=4096)])
def test_plans_over_the_budget_are_refused_before_tensorflow(tmp_path, model, kw):
    src = _large_scene(tmp_path / "large.tif")
    with pytest.raises(InputError) as err:
        _run(model, src, tmp_path / "o.tif", **kw)
    text = str(err.value)
    assert "TILE_SIZE" in text and "BATCH_SIZE" in text and "MEMORY_BUDGET" in text
    assert "budget of 512 MiB" in text and err.value.values["memory_mb"] > 10 << 10
    assert not (tmp_path / "o.tif").exists()
    with pytest.raises(InputError, match="MEMORY_BUDGET"):
        _run(model, src, tmp_path / "o.tif", memory_budget=-5)
    # A larger MEMORY_BUDGET lets the plan through.
    plan, _ = plan_prediction(PredictParams(input=src, model=model, output="o.tif",
                                            memory_budget=1 << 20, **kw))
    assert plan.memory_bytes <= plan.budget_bytes == 1 << 40


def test_batch_never_changes_the_output_and_the_plan_is_in_the_metadata(tmp_path, model,
                                                                        monkeypatch):
    image, _ = synthetic_scene(150, 170, seed=5)
    src = write_raster(tmp_path / "s.tif", image)
    outs = {}
    for batch in (1, 16, 0):
        files = {"output": tmp_path / f"c{batch}.tif",
                 "output_probability": tmp_path / f"p{batch}.tif"}
        result = _run(model, src, files["output"], Counting(smoothing), tile_size=64,
                      batch_size=batch, probability_format="float",
                      output_probability=str(files["output_probability"]))
        ds = gdal.Open(str(files["output"]))
        outs[batch] = (read_raster(files["output"])[0],
                       read_raster(files["output_probability"])[0],
                       json.loads(ds.GetMetadataItem("SEMSEG_PLAN")), result)
    for batch in (16, 0):
        np.testing.assert_array_equal(outs[batch][0], outs[1][0])
        np.testing.assert_array_equal(outs[batch][1], outs[1][1])
    assert outs[1][2]["batch"] == 1 and outs[16][2]["batch"] == 16
    assert outs[0][2] == outs[0][3]["plan"] and outs[0][2]["window"] == 64
    # Little free memory lowers the automatic batch, not the plan nor the output.
    monkeypatch.setattr(window_plan, "MEMINFO", _meminfo(tmp_path, 1))
    result = _run(model, src, tmp_path / "low.tif", Counting(smoothing), tile_size=64,
                  batch_size=0)
    assert result["plan"]["batch"] == 1 < outs[0][3]["plan"]["batch"]
    low = gdal.Open(str(tmp_path / "low.tif"))
    assert json.loads(low.GetMetadataItem("SEMSEG_PLAN")) == outs[0][2]
    np.testing.assert_array_equal(read_raster(tmp_path / "low.tif")[0], outs[1][0])
