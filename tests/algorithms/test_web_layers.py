"""Web layers (XYZ tiles, WMS) at a chosen resolution in Tile Dataset, Train Model
and Predict Raster, with real servers on 127.0.0.1 started and stopped here."""

import json
import os
import shutil
import socket
import subprocess  # nosec B404 - qgis_mapserver / qgis_process with list argv
import time

import numpy as np
import pytest
from osgeo import gdal

import webtiles
from rasters import read_raster, synthetic_scene, write_raster
from semantic_segmentation.engine.runtime.environment import stop_child

TINY = {"EPOCHS": 3, "STEPS_PER_EPOCH": 6, "BATCH_SIZE": 4, "WIDTH": 0.25, "AUGMENT": False}
BOUNDS = webtiles.scene_bounds()
EXTENT = "{0},{2},{1},{3} [EPSG:3857]".format(*BOUNDS)


@pytest.fixture(scope="module")
def xyz(tmp_path_factory):
    """(QGIS layer string, image.tif, label.tif) of a tile server running for the module."""
    with webtiles.served_scene(tmp_path_factory.mktemp("xyz")) as (url, _requests, image,
                                                                      label):
        yield webtiles.xyz_layer_string(url), image, label


class WarningFeedback:
    """A Processing feedback that keeps the warnings it was given."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class Recorder(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.warnings = []

            def pushWarning(self, text):  # noqa: N802 (QGIS's name)
                self.warnings.append(text)
                super().pushWarning(text)

        return Recorder()


@pytest.fixture(scope="module")
def web_dataset(qgis_app, xyz, tmp_path_factory):
    import processing

    out = str(tmp_path_factory.mktemp("web") / "dataset")
    result = processing.run("semseg:tiledataset", {
        "IMAGE": "wms://" + xyz[0], "LABEL": xyz[2], "RESOLUTION": 10.0, "EXTENT": EXTENT,
        "TILE_SIZE": 32, "METHOD": "stride", "VAL_FRACTION": 0.25, "OUTPUT": out})
    return result


def test_tile_dataset_reads_xyz_layer_at_resolution_over_extent(web_dataset):
    out = web_dataset["OUTPUT"]
    assert web_dataset["TILE_COUNT"] == 64  # 256 x 256 pixels of 10 m in 32-pixel chips
    with open(os.path.join(out, "dataset.json"), encoding="utf-8") as f:
        dataset = json.load(f)
    assert dataset["resolution"] == [10.0, 10.0] and dataset["crs_units"] == "metre"
    assert dataset["bands"] == 3 and dataset["data_type"] == "Byte"
    name = sorted(os.listdir(os.path.join(out, "images")))[0]
    _, ds = read_raster(os.path.join(out, "images", name))
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    assert (dx, dy) == (10.0, -10.0) and (x0 - BOUNDS[0]) % 320 == 0


def test_web_layer_without_resolution_is_an_error_naming_it(run, xyz, tmp_path):
    from qgis.core import QgsProcessingException

    # the layer string without QGIS's wms:// prefix is taken too
    with pytest.raises(QgsProcessingException, match="RESOLUTION.*EXTENT.*Missing: RESOLUTION"):
        run("semseg:tiledataset", {"IMAGE": xyz[0], "LABEL": xyz[2],
                                   "EXTENT": EXTENT, "TILE_SIZE": 32,
                                   "OUTPUT": str(tmp_path / "d")})
    assert not (tmp_path / "d").exists()


@pytest.fixture(scope="module")
def web_model(qgis_app, web_dataset, tmp_path_factory):
    import processing

    out = tmp_path_factory.mktemp("web-model") / "model.keras"
    processing.run("semseg:trainmodel", {"DATASET": web_dataset["OUTPUT"],
                                         "OUTPUT_MODEL": str(out), **TINY})
    return str(out)


def test_model_file_records_training_resolution(web_model):
    from semantic_segmentation.engine.formats import modelfile

    meta = modelfile.read_metadata(web_model)
    assert meta["resolution"] == [10.0, 10.0] and meta["crs_units"] == "metre"


def test_predict_xyz_layer_agrees_with_gdal_rendering_of_the_tiles(qgis_app, xyz, web_model,
                                                                  tmp_path):
    import processing

    from semantic_segmentation.engine.data import sources

    url = xyz[0].split("url=")[1].split("&")[0]
    rendered = str(tmp_path / "rendered.tif")
    gdal.Warp(rendered, sources.xyz_xml(url, webtiles.ZMIN, webtiles.ZMAX), xRes=10, yRes=10,
              outputBounds=BOUNDS, resampleAlg="bilinear")
    feedback = WarningFeedback()
    web = processing.run("semseg:predictraster", {  # RESOLUTION: the model's (10 m)
        "INPUT": "wms://" + xyz[0], "MODEL": web_model, "EXTENT": EXTENT,
        "OUTPUT": str(tmp_path / "web.tif")}, feedback=feedback)
    assert feedback.warnings == []  # same resolution, same kind of pixels
    file = processing.run("semseg:predictraster", {
        "INPUT": rendered, "MODEL": web_model, "OUTPUT": str(tmp_path / "file.tif")})
    a, ds_a = read_raster(web["OUTPUT"])
    b, ds_b = read_raster(file["OUTPUT"])
    assert ds_a.GetGeoTransform() == ds_b.GetGeoTransform() and a.shape == b.shape
    assert np.mean(a == b) >= 0.98
    label, _ = read_raster(xyz[2])
    assert np.mean(a == label) > 0.5  # it learnt something from the tiles


def test_predict_warns_of_resolution_and_drift(qgis_app, web_model, tmp_path):
    import processing

    image, _ = synthetic_scene(h=64, w=64, bands=3)
    scaled = write_raster(tmp_path / "reflectance.tif", image * 60, pixel=20.0,
                          origin=(BOUNDS[0], BOUNDS[3]), epsg=3857)
    feedback = WarningFeedback()
    processing.run("semseg:predictraster", {"INPUT": scaled, "MODEL": web_model,
                                            "RESOLUTION": 0, "OUTPUT": str(tmp_path / "o.tif")},
                   feedback=feedback)
    text = "\n".join(feedback.warnings)
    assert "trained at 10" in text and "RESOLUTION" in text  # 20 m against 10 m
    assert "UInt16" in text and "Byte" in text
    assert "band(s) 1, 2, 3" in text


def test_qgis_reader_renders_a_layer_like_gdal(qgis_app, xyz, tmp_path):
    """The route for providers GDAL cannot read: QGIS's own blocks into a GeoTIFF."""
    from qgis.core import QgsRasterLayer

    from semantic_segmentation.engine.data import sources
    from semantic_segmentation.seg_plugin.layers import render_layer

    layer = QgsRasterLayer(xyz[0], "tiles", "wms")
    assert layer.isValid()
    path = render_layer(layer, BOUNDS, 10.0, str(tmp_path / "qgis.tif"), block=100)
    qgis_pixels, ds = read_raster(path)
    assert ds.GetGeoTransform() == (BOUNDS[0], 10.0, 0.0, BOUNDS[3], 0.0, -10.0)
    url = xyz[0].split("url=")[1].split("&")[0]
    gdal_pixels = sources.open_at(sources.xyz_xml(url, webtiles.ZMIN, webtiles.ZMAX), 10.0,
                                  BOUNDS).ReadAsArray()
    diff = np.abs(qgis_pixels.astype(int) - np.moveaxis(gdal_pixels, 0, -1).astype(int))
    assert np.mean(diff <= 8) > 0.95  # two resamplers of the same tiles


def test_tile_dataset_through_qgis_process_with_a_web_layer(qgis_process, xyz, tmp_path):
    out = tmp_path / "dataset"
    run = subprocess.run([qgis_process, "run", "semseg:tiledataset", "--",  # nosec B603
                          "IMAGE=wms://" + xyz[0], f"LABEL={xyz[2]}", "RESOLUTION=20",
                          f"EXTENT={EXTENT}", "TILE_SIZE=32", "METHOD=stride",
                          f"OUTPUT={out}"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    with open(out / "dataset.json", encoding="utf-8") as f:
        assert json.load(f)["resolution"] == [20.0, 20.0]


# ------------------------------------------------------------------ a real WMS
def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def qgis_wms(qgis_app, xyz, tmp_path):
    """A QGIS Server (qgis_mapserver) on 127.0.0.1 serving the scene as WMS layer
    ``scene``; skipped where Debian's qgis-server is not installed."""
    from qgis.core import QgsProject, QgsRasterLayer

    binary = shutil.which("qgis_mapserver")
    if binary is None:
        pytest.skip("qgis_mapserver (Debian's qgis-server) is not installed")
    project = QgsProject()
    layer = QgsRasterLayer(xyz[1], "scene", "gdal")
    project.addMapLayer(layer)
    project.setCrs(layer.crs())
    project.writeEntry("WMSServiceCapabilities", "/", True)
    project.writeEntry("WMSCrsList", "/", ["EPSG:3857"])
    path = str(tmp_path / "wms.qgs")
    assert project.write(path)
    port = _free_port()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_SERVER_LOG_LEVEL="2",
               XDG_RUNTIME_DIR=str(tmp_path / "runtime"))
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    server = subprocess.Popen([binary, "-p", path, f"127.0.0.1:{port}"],  # nosec B603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.3)
        else:
            pytest.fail("qgis_mapserver did not start within 60 s")
        yield (f"crs=EPSG:3857&format=image/png&layers=scene&styles=&"
               f"url=http://127.0.0.1:{port}/ows/?MAP={path}")
    finally:
        stop_child(server)


def test_tile_dataset_reads_a_real_wms(run, qgis_wms, xyz, tmp_path):
    out = tmp_path / "dataset"
    result = run("semseg:tiledataset", {"IMAGE": "wms://" + qgis_wms, "LABEL": xyz[2],
                                        "RESOLUTION": 20.0, "EXTENT": EXTENT, "TILE_SIZE": 32,
                                        "METHOD": "stride", "OUTPUT": str(out)})
    assert result["TILE_COUNT"] == 16
    chips = sorted((out / "images").iterdir())
    pixels, ds = read_raster(chips[0])
    assert ds.GetGeoTransform()[1] == 20.0
    scene = gdal.Warp("", xyz[1], format="MEM", xRes=20, yRes=20,
                      outputBounds=BOUNDS).ReadAsArray()
    x0, y0 = ds.GetGeoTransform()[0], ds.GetGeoTransform()[3]
    c, r = int((x0 - BOUNDS[0]) / 20), int((BOUNDS[3] - y0) / 20)
    expected = np.moveaxis(scene[:, r:r + 32, c:c + 32], 0, -1).astype(int)
    assert np.mean(np.abs(pixels.astype(int) - expected) <= 8) > 0.9
