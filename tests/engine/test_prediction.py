"""Predict Raster's engine (engine/predict/prediction.py): strided windows over a scene."""

import io
import json
import os
import zipfile

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from models_fixture import CLASS_NAMES, CLASS_VALUES, make_model_file
from rasters import ORIGIN, read_raster, srs_wkt, synthetic_scene, write_raster
from semantic_segmentation.engine import outputs
from semantic_segmentation.engine.data import raster
from semantic_segmentation.engine.formats import modelfile
from semantic_segmentation.engine.predict import blending
from semantic_segmentation.engine.runtime import worker
from semantic_segmentation.engine.errors import Cancelled, InputError
from semantic_segmentation.engine.predict.prediction import (PredictParams, auto_overlap,
                                                             predict_raster)
from semantic_segmentation.engine.progress import Progress

PIXEL = 30.0
VALUES = np.array(CLASS_VALUES)


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory):
    """A tiny U-Net fitted on synthetic scenes: confident, local predictions."""
    path = tmp_path_factory.mktemp("models") / "trained.keras"
    return make_model_file(path, encoder="unet_native", train_steps=160)


@pytest.fixture(scope="session")
def random_model(tmp_path_factory):
    """An untrained (seeded) network over 4 bands: cheap, for plumbing tests."""
    path = tmp_path_factory.mktemp("models") / "random4.keras"
    return make_model_file(path, bands=4, encoder="unet_native")


def _scene(tmp_path, h, w, bands=3, seed=1, name="scene.tif", **kw):
    image, label = synthetic_scene(h, w, bands=bands, seed=seed)
    return write_raster(tmp_path / name, image, **kw), image, label


def _predict(model, src, tmp_path, name="classes.tif", **kw):
    out = str(tmp_path / name)
    result = predict_raster(PredictParams(input=src, model=model, output=out, **kw))
    return result, read_raster(out)


def test_predict_keeps_crs_geotransform_and_colour_table(trained_model, tmp_path):
    src, _, label = _scene(tmp_path, 96, 128)
    result, (out, ds) = _predict(trained_model, src, tmp_path)
    src_ds = gdal.Open(src)
    assert ds.GetGeoTransform() == src_ds.GetGeoTransform()
    assert raster.same_crs(ds.GetProjection(), src_ds.GetProjection())
    band = ds.GetRasterBand(1)
    assert band.DataType == gdal.GDT_Byte and band.GetNoDataValue() == 255
    table = band.GetRasterColorTable()
    assert table.GetColorEntry(10)[:3] == (0, 0, 255)
    assert table.GetColorEntry(30)[:3] == (200, 0, 0)
    assert band.GetCategoryNames()[20] == "forest"
    assert ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") == "DEFLATE"
    assert band.GetBlockSize() == [256, 256]  # tiled, not strips
    assert band.GetOverviewCount() >= 1
    assert set(np.unique(out)) <= set(CLASS_VALUES)  # class values, not channels
    assert (out[..., 0] == VALUES[label]).mean() > 0.95
    assert result["output"] == str(tmp_path / "classes.tif")
    assert sum(result["pixels"].values()) == 96 * 128
    assert [c["value"] for c in result["classes"]] == list(CLASS_VALUES)
    assert outputs.stale_partials(str(tmp_path)) == []


def _parcels(h, w, size, bands=3, seed=3):
    """Like synthetic_scene, with square class parcels of ``size`` pixels."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    label = (xx // size + yy // size) % len(CLASS_VALUES)
    image = rng.normal(100, 5, size=(h, w, bands))
    for c in range(len(CLASS_VALUES)):
        image[label == c, c % bands] += 60
    return image.astype(np.uint16)


def test_stride_matches_whole_image_forward(trained_model, tmp_path):
    # Parcels of 100 pixels: on the 32-pixel checkerboard the tiny network is
    # undecided on class borders, and 0.05-0.2 % of those pixels flip with
    # any change of context (even moving the whole image's padding).
    image = _parcels(300, 400, 100)
    src = write_raster(tmp_path / "parcels.tif", image)
    result, (out, _) = _predict(trained_model, src, tmp_path, tile_size=64)
    assert result["windows"] > 50  # 64-pixel tiles overlapping by 32
    model, meta = modelfile.load_model(trained_model)
    x = (image.astype(np.float32) - np.float32(meta["mean"])) / np.float32(meta["std"])
    x = np.pad(x, ((0, 4), (0, 0), (0, 0)), mode="reflect")  # 300 -> 304 (divisor 16)
    whole = VALUES[model.predict_on_batch(x[None])[0, :300].argmax(-1)]
    assert (whole == out[..., 0]).mean() >= 0.999


def test_scene_larger_than_several_windows_with_odd_size(trained_model, tmp_path):
    src, _, label = _scene(tmp_path, 157, 211, seed=4)
    result, (out, ds) = _predict(trained_model, src, tmp_path, tile_size=64, batch_size=3)
    assert (ds.RasterYSize, ds.RasterXSize) == (157, 211)
    assert result["windows"] == len(raster.grid_windows(211, 157, 64, 32))
    assert not (out == 255).any()
    assert (out[..., 0] == VALUES[label]).mean() > 0.97
    assert sum(result["pixels"].values()) == 157 * 211


def test_scene_smaller_than_tile_is_padded(trained_model, tmp_path):
    src, _, label = _scene(tmp_path, 37, 50, seed=5)
    result, (out, ds) = _predict(trained_model, src, tmp_path)
    assert result["windows"] == 1
    assert out.shape[:2] == (37, 50) and not (out == 255).any()
    assert (out[..., 0] == VALUES[label]).mean() > 0.9


def test_nodata_in_any_band_is_nodata_in_output(trained_model, tmp_path):
    image, _ = synthetic_scene(80, 100, seed=6)
    image[10:20, 30:60, 1] = 0  # only band 2 is nodata there
    image[50, 5] = 0
    src = write_raster(tmp_path / "nd.tif", image, nodata=0)
    prob = str(tmp_path / "prob.tif")
    result, (out, _) = _predict(trained_model, src, tmp_path, output_probability=prob)
    expected = (image == 0).any(axis=-1)
    assert ((out[..., 0] == 255) == expected).all()
    probs, _ = read_raster(prob)
    assert (probs[expected] == 255).all() and (probs[~expected] <= 254).all()
    assert sum(result["pixels"].values()) == (~expected).sum()


def test_extent_subgrid_and_outside_extent_error(trained_model, tmp_path):
    src, _, label = _scene(tmp_path, 96, 128)
    x0, y0 = ORIGIN
    # Columns 10.5..40.2 and rows 20.2..51.7 snap outward to 10..41 x 20..52.
    extent = [x0 + 10.5 * PIXEL, y0 - 51.7 * PIXEL, x0 + 40.2 * PIXEL, y0 - 20.2 * PIXEL]
    _, (out, ds) = _predict(trained_model, src, tmp_path, extent=extent)
    assert (ds.RasterXSize, ds.RasterYSize) == (31, 32)
    assert ds.GetGeoTransform() == (x0 + 10 * PIXEL, PIXEL, 0.0, y0 - 20 * PIXEL, 0.0, -PIXEL)
    assert (out[..., 0] == VALUES[label[20:52, 10:41]]).mean() > 0.9
    far = [x0 + 1e6, y0 + 1e6, x0 + 1e6 + 100, y0 + 1e6 + 100]
    with pytest.raises(InputError, match="outside the raster"):
        _predict(trained_model, src, tmp_path, name="far.tif", extent=far)
    assert not os.path.exists(tmp_path / "far.tif")


def test_mask_limits_prediction(trained_model, tmp_path):
    src, _, _ = _scene(tmp_path, 64, 96)
    x0, y0 = ORIGIN
    mask = str(tmp_path / "mask.gpkg")
    utm, wgs84 = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromWkt(srs_wkt())
    wgs84.ImportFromEPSG(4326)
    for s in (utm, wgs84):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x1, y1 = x0 + 40 * PIXEL, y0 - 30 * PIXEL  # columns 0..39, rows 0..29
    square = f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
    aoi = ogr.CreateGeometryFromWkt(square)
    aoi.Transform(osr.CoordinateTransformation(utm, wgs84))  # the mask in another CRS
    elsewhere = ogr.CreateGeometryFromWkt(  # a second layer that must be ignored
        f"POLYGON(({x1} {y1},{x1 + 900} {y1},{x1 + 900} {y1 - 300},{x1} {y1}))")
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(mask)
    for name, srs, geometry in (("other", utm, elsewhere), ("aoi", wgs84, aoi)):
        layer = vds.CreateLayer(name, srs, ogr.wkbPolygon)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(geometry)
        layer.CreateFeature(feature)
    vds = None
    # QGIS passes one layer of a GeoPackage as "path|layername=name".
    _, (out, _) = _predict(trained_model, src, tmp_path, mask=f"{mask}|layername=aoi")
    inside = np.zeros((64, 96), bool)
    inside[:30, :40] = True
    assert (out[inside] != 255).all() and (out[~inside] == 255).all()


def test_band_count_mismatch_error(random_model, tmp_path):
    src, _, _ = _scene(tmp_path, 32, 32, bands=3)
    with pytest.raises(InputError) as err:
        _predict(random_model, src, tmp_path)
    message = str(err.value)
    assert src in message and "3 band" in message and "takes 4" in message
    assert "BANDS" in message
    with pytest.raises(InputError, match="do not exist"):
        _predict(random_model, src, tmp_path, bands=[1, 2, 3, 5])
    assert not os.path.exists(tmp_path / "classes.tif")


def test_bands_parameter_picks_bands(random_model, tmp_path):
    image, _ = synthetic_scene(48, 80, bands=6, seed=7)
    wide = write_raster(tmp_path / "six.tif", image)
    picked = write_raster(tmp_path / "four.tif", image[..., [5, 1, 2, 0]])
    _, (a, _) = _predict(random_model, wide, tmp_path, name="a.tif", bands=[6, 2, 3, 1])
    _, (b, _) = _predict(random_model, picked, tmp_path, name="b.tif")
    assert (a == b).all()


def test_probability_and_vector_outputs(trained_model, tmp_path):
    src, _, _ = _scene(tmp_path, 100, 130)  # thin parcels along two edges
    # Every polygon, as a Shapefile, with byte probabilities.
    prob, shp = str(tmp_path / "prob.tif"), str(tmp_path / "all.shp")
    _, (out, _) = _predict(trained_model, src, tmp_path, name="c1.tif",
                           output_probability=prob, output_vector=shp)
    probs, pds = read_raster(prob)
    assert probs.dtype == np.uint8 and probs.max() <= 254 and pds.RasterCount == 3
    assert [pds.GetRasterBand(i + 1).GetDescription() for i in range(3)] == list(CLASS_NAMES)
    sds = ogr.Open(shp)
    every = [(f["class"], f["name"], f["area"], f.GetGeometryRef().Area())
             for f in sds.GetLayer(0)]
    sds = None
    assert sum(a for _, _, a, _ in every) == pytest.approx(100 * 130 * PIXEL * PIXEL)
    names = dict(zip(CLASS_VALUES, CLASS_NAMES))
    assert all(name == names[value] for value, name, _, _ in every)

    # Float probabilities and a GeoPackage without the smallest polygons.
    prob, gpkg = str(tmp_path / "prob_f.tif"), str(tmp_path / "polygons.gpkg")
    min_area = min(a for _, _, a, _ in every) + 1.0
    result, (out, _) = _predict(trained_model, src, tmp_path, output_probability=prob,
                                probability_format="float", output_vector=gpkg,
                                min_area=min_area)
    assert result["output_probability"] == prob and result["output_vector"] == gpkg
    probs, pds = read_raster(prob)
    assert pds.GetRasterBand(1).DataType == gdal.GDT_Float32
    assert pds.GetRasterBand(1).GetOverviewCount() >= 1
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=1e-3)
    assert (VALUES[probs.argmax(-1)] == out[..., 0]).all()
    vds = ogr.Open(gpkg)
    layer = vds.GetLayer(0)
    definition = layer.GetLayerDefn()
    fields = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    assert fields == ["class", "name", "area"]
    kept = [(f["class"], f["name"], f["area"], f.GetGeometryRef().Area()) for f in layer]
    vds = None
    assert len(kept) == sum(a >= min_area for _, _, a, _ in every) < len(every)
    for value, name, area, geometry_area in kept:
        assert area >= min_area and area == pytest.approx(geometry_area)
        assert name == names[value]
    assert outputs.stale_partials(str(tmp_path)) == []
    assert not [n for n in os.listdir(tmp_path) if ".partial" in n]


def test_cancel_removes_partial_outputs(trained_model, tmp_path):
    src, _, _ = _scene(tmp_path, 160, 200)
    calls = []

    def callback(fraction):
        calls.append(fraction)
        return False  # asked after the first batch: stop now

    out = tmp_path / "classes.tif"
    params = PredictParams(input=src, model=trained_model, output=str(out), batch_size=2,
                           tile_size=64,
                           output_probability=str(tmp_path / "p.tif"),
                           output_vector=str(tmp_path / "v.gpkg"))
    with pytest.raises(Cancelled):
        predict_raster(params, Progress(callback))
    windows = len(raster.grid_windows(200, 160, 64, 32))
    assert calls == [pytest.approx(0.9 * 2 / windows)]  # stopped after one batch of 2
    assert not out.exists() and not (tmp_path / "p.tif").exists()
    assert not [n for n in os.listdir(tmp_path) if ".partial" in n]


def test_foreign_model_file_refused(tmp_path):
    src, _, _ = _scene(tmp_path, 32, 32)
    text = tmp_path / "notes.keras"
    text.write_text("not a model")
    archive = tmp_path / "other.keras"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    for model in (text, archive):
        with pytest.raises(InputError, match="not a Keras model file"):
            _predict(str(model), src, tmp_path)
    assert not os.path.exists(tmp_path / "classes.tif")


def test_per_image_mode_resizes_and_refuses_large_scenes(trained_model, tmp_path):
    image, label = synthetic_scene(100, 140, seed=8)
    src = write_raster(tmp_path / "photo.tif", image)
    result, (out, _) = _predict(trained_model, src, tmp_path, mode="per_image")
    assert result["windows"] == 1 and out.shape[:2] == (100, 140)
    assert (out[..., 0] == VALUES[label]).mean() > 0.8
    big = str(tmp_path / "big.tif")
    ds = gdal.GetDriverByName("GTiff").Create(big, 5000, 8, 3, gdal.GDT_UInt16,
                                              ["SPARSE_OK=YES"])
    ds = None
    with pytest.raises(InputError, match="stride mode"):
        _predict(trained_model, big, tmp_path, name="big_out.tif", mode="per_image")


def test_predict_job_through_worker(trained_model, tmp_path):
    src, _, _ = _scene(tmp_path, 48, 64)
    stream = io.StringIO()
    job = {"task": "predict", "params": {"input": src, "model": trained_model,
                                         "output": str(tmp_path / "w.tif"), "extent": None}}
    assert worker.run_job(job, worker.Channel(stream)) == 0
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[-1]["type"] == "result"
    assert lines[-1]["result"]["output"] == str(tmp_path / "w.tif")
    assert any(line["type"] == "progress" for line in lines)
    stream = io.StringIO()
    bad = {"task": "predict", "params": {"input": src, "model": trained_model,
                                         "output": str(tmp_path / "x.tif"), "tile": 3}}
    assert worker.run_job(bad, worker.Channel(stream)) == 2
    assert "tile" in json.loads(stream.getvalue().splitlines()[-1])["message"]


def test_auto_overlap_follows_margin_and_network_stride():
    assert auto_overlap(64, 16) == 32  # the 64-pixel margin, at most half a window
    assert auto_overlap(256, 16) == 64
    assert auto_overlap(512, 16, margin=96) == 96
    assert auto_overlap(512, 32, margin=70) == 96  # a multiple of the divisor
    assert auto_overlap(32, 32) == 0


def test_blend_weights_fall_off_towards_edges_and_rows_flush_in_order():
    w = blending.weight_window(64, 48, ramp=16)
    assert w.shape == (64, 48) and w.min() > 0 and w.max() == 1.0
    assert w[0, 0] < w[8, 8] < w[32, 24] == 1.0
    band = blending.RowBand(4, 6, 2)
    written = []
    band.add(0, 0, np.ones((4, 4, 2), np.float32), np.ones((4, 4), np.float32))
    band.add(2, 2, np.full((2, 4, 2), 3, np.float32), np.ones((2, 4), np.float32))
    band.flush(2, lambda top, s, w, i: written.append((top, s.copy(), w.copy())))
    assert written[0][0] == 0 and written[0][2].tolist() == [[1, 1, 1, 1, 0, 0]] * 2
    assert band.top == 2 and band.weights[:2, 2:4].tolist() == [[2, 2], [2, 2]]
    band.flush(6, lambda top, s, w, i: written.append((top, s.copy(), w.copy())))
    assert written[1][0] == 2 and written[1][1].shape == (4, 6, 2)


def test_extent_parts_mosaic_to_the_same_bytes_as_one_run(trained_model, tmp_path):
    image = _parcels(150, 170, 40)
    src = write_raster(tmp_path / "scene.tif", image)
    _, (whole, _) = _predict(trained_model, src, tmp_path, name="whole.tif", tile_size=64)
    x0, y0 = ORIGIN
    x1, y1 = x0 + 170 * PIXEL, y0 - 150 * PIXEL
    cut_row, cut_col = y0 - 77 * PIXEL, x0 + 101 * PIXEL  # not on a window boundary
    parts = {"top": [x0, cut_row, x1, y0], "bottom": [x0, y1, x1, cut_row],
             "left": [x0, y1, cut_col, y0], "right": [cut_col, y1, x1, y0]}
    got = {}
    for name, extent in parts.items():
        _, (got[name], _) = _predict(trained_model, src, tmp_path, name=f"{name}.tif",
                                     tile_size=64, extent=extent)
    assert np.array_equal(np.concatenate([got["top"], got["bottom"]], axis=0), whole)
    assert np.array_equal(np.concatenate([got["left"], got["right"]], axis=1), whole)


def test_strips_keep_memory_flat_and_give_the_same_bytes(trained_model, tmp_path,
                                                         monkeypatch):
    """A row band over a budget is cut into vertical strips: every output (classes,
    probabilities, entropy, "label next" cells) is the same as one band's."""
    from semantic_segmentation.engine.predict import window_plan

    image = _parcels(150, 330, 40)
    src = write_raster(tmp_path / "wide.tif", image)
    outs = dict(output_probability="float", output_entropy=True, output_label_next=True)

    def run(tag):
        files = {"output_probability": str(tmp_path / f"p_{tag}.tif"),
                 "output_entropy": str(tmp_path / f"e_{tag}.tif"),
                 "output_label_next": str(tmp_path / f"n_{tag}.gpkg")}
        result, (classes, _) = _predict(trained_model, src, tmp_path, name=f"c_{tag}.tif",
                                        tile_size=64, probability_format="float",
                                        **{k: files[k] for k in outs})
        rasters = [read_raster(files[k])[0] for k in ("output_probability", "output_entropy")]
        ds = ogr.Open(files["output_label_next"])
        cells = [(f.GetField("rank"), f.GetField("score"), f.GetGeometryRef().ExportToWkt())
                 for f in ds.GetLayer()]
        return result, classes, rasters, cells

    one, classes1, rasters1, cells1 = run("one")
    assert one["plan"]["strips"] == 1
    # 64-px windows, 3 classes: 64 * 17 bytes a column; a budget of 100 columns
    monkeypatch.setattr(window_plan, "BAND_BUDGET", 64 * 17 * 100)
    cut, classes2, rasters2, cells2 = run("cut")
    assert cut["plan"]["strips"] > 2
    assert cut["windows"] > one["windows"]  # windows on strip edges run twice
    assert np.array_equal(classes1, classes2)
    for a, b in zip(rasters1, rasters2):
        np.testing.assert_array_equal(a, b)
    assert cells1 == cells2 and len(cells1) > 0


def test_per_image_mode_feeds_nodata_to_the_network_as_stride_mode_does(random_model,
                                                                         tmp_path,
                                                                         monkeypatch):
    """Both modes standardise through raster.standardise: a pixel with nodata in
    any band reaches the network as 0 (the training mean), never as
    (nodata - mean) / std."""
    from semantic_segmentation.engine.predict import predictors

    tile = modelfile.read_metadata(random_model)["tile_size"]
    image, _ = synthetic_scene(tile, tile, bands=4, seed=9)
    image[5:20, 10:40, 2] = 0  # nodata in one band only
    image[tile - 3:, :6] = 0   # in every band
    src = write_raster(tmp_path / "nd.tif", image, nodata=0)
    nodata = (image == 0).any(axis=-1)
    seen = {}
    real = predictors.predict_tta

    def spy(run, x, *args, **kwargs):
        seen.setdefault(mode, []).append(np.array(x))
        return real(run, x, *args, **kwargs)

    monkeypatch.setattr(predictors, "predict_tta", spy)
    for mode in ("stride", "per_image"):
        _predict(random_model, src, tmp_path, name=f"{mode}.tif", mode=mode)
    (per_image,) = seen["per_image"]
    stride = np.concatenate(seen["stride"])
    assert per_image.shape == (1, tile, tile, 4) and stride.shape == per_image.shape
    assert (per_image[0][nodata] == 0).all()
    np.testing.assert_array_equal(per_image, stride)
