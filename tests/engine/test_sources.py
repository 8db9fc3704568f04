"""Sources at a chosen resolution (engine/data/sources.py) and the drift checks
(engine/predict/drift.py), with a real XYZ tile server on 127.0.0.1."""

import numpy as np
import pytest
from osgeo import gdal

import webtiles
from rasters import synthetic_scene, write_raster
from semantic_segmentation.engine.data import dataset, sources, tiling
from semantic_segmentation.engine.predict import drift
from semantic_segmentation.engine.errors import InputError


@pytest.fixture(scope="module")
def xyz(tmp_path_factory):
    with webtiles.served_scene(tmp_path_factory.mktemp("xyz")) as (url, requests, image,
                                                                      label):
        yield sources.xyz_xml(url + "/{z}/{x}/{y}.png", webtiles.ZMIN, webtiles.ZMAX), \
            image, label, requests


def test_xyz_source_reads_the_scene_at_the_chosen_resolution(xyz):
    xml, image, _, requests = xyz
    bounds = webtiles.scene_bounds()
    ds = sources.open_at(xml, 20.0, bounds)
    assert (ds.RasterXSize, ds.RasterYSize) == (128, 128)
    assert ds.GetGeoTransform() == (bounds[0], 20.0, 0.0, bounds[3], 0.0, -20.0)
    web = ds.ReadAsArray().astype(float)
    scene = gdal.Warp("", image, format="MEM", xRes=20, yRes=20, outputBounds=bounds,
                      resampleAlg="bilinear").ReadAsArray().astype(float)
    assert np.abs(web - scene)[:, 2:-2, 2:-2].mean() < 12  # tiles are resampled twice
    assert all(path.startswith("/13/") for path in requests)  # zoom 13 (19 m) only


def test_web_source_without_resolution_or_extent_names_them(xyz):
    xml = xyz[0]
    with pytest.raises(InputError, match="RESOLUTION.*EXTENT"):
        sources.open_at(xml, None, webtiles.scene_bounds())
    with pytest.raises(InputError, match="RESOLUTION.*EXTENT"):
        sources.open_at(xml, 10.0, None)


def test_file_at_coarser_resolution_is_a_grid_anchored_at_its_origin(tmp_path):
    image, _ = synthetic_scene(h=64, w=96)
    path = write_raster(tmp_path / "scene.tif", image, origin=LANDSAT)
    vrt = sources.warped_path(path, str(tmp_path), 60.0, [LANDSAT[0] + 10, LANDSAT[1] - 1000,
                                                          LANDSAT[0] + 1000, LANDSAT[1] - 10])
    ds = gdal.Open(vrt)
    assert vrt.endswith(".vrt") and ds.GetDriver().ShortName == "VRT"
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    assert (dx, dy) == (60.0, -60.0)
    assert (x0, y0) == (LANDSAT[0], LANDSAT[1])  # origin + k x 60, not a multiple of 60
    assert (ds.RasterXSize, ds.RasterYSize) == (17, 17)  # 10..1000 m: 17 pixels of 60 m
    assert sources.warped_path(path, str(tmp_path), 30.0) == path  # its own grid: as is
    # Another extent at the same resolution nests on the same grid.
    other = sources.open_at(path, 60.0, [LANDSAT[0] + 700, LANDSAT[1] - 1500,
                                         LANDSAT[0] + 2000, LANDSAT[1] - 650])
    gx, _, _, gy, _, _ = other.GetGeoTransform()
    assert (gx - LANDSAT[0]) % 60 == 0 and (LANDSAT[1] - gy) % 60 == 0


# Like the Landsat scene: an origin that is no multiple of the 30 m pixel size.
LANDSAT = (452475.0, 3408675.0)


@pytest.mark.parametrize("resolution", [None, 30.0, 30.0 * (1 + 1e-9)])
def test_extent_at_own_resolution_selects_whole_pixels_without_resampling(tmp_path,
                                                                          resolution):
    image, _ = synthetic_scene(h=64, w=96)
    path = write_raster(tmp_path / "scene.tif", image, origin=LANDSAT)
    x0, y0 = LANDSAT
    extent = [x0 + 10.5 * 30, y0 - 41.2 * 30, x0 + 50.1 * 30, y0 - 20.0 * 30]
    ds = sources.open_at(path, resolution, extent)
    # Snapped outward to whole pixels of the layer, counted from its origin.
    assert ds.GetGeoTransform() == (x0 + 10 * 30, 30.0, 0.0, y0 - 20 * 30, 0.0, -30.0)
    assert (ds.RasterXSize, ds.RasterYSize) == (41, 22)
    got = np.moveaxis(ds.ReadAsArray(), 0, -1)
    np.testing.assert_array_equal(got, image[20:42, 10:51])  # the pixels, not a blur
    vrt = sources.warped_path(path, str(tmp_path), resolution, extent)
    assert np.array_equal(np.moveaxis(gdal.Open(vrt).ReadAsArray(), 0, -1), image[20:42, 10:51])
    with pytest.raises(InputError, match="EXTENT"):
        sources.open_at(path, resolution, [0.0, 0.0, 30.0, 30.0])  # far outside


def test_web_grid_stays_on_multiples_of_the_resolution():
    assert sources.snap_bounds([452475.0, 3408600.0, 452530.0, 3408675.0], 30.0) == \
        (452460.0, 3408600.0, 452550.0, 3408690.0)
    assert sources.snap_bounds([452475.0, 3408600.0, 452530.0, 3408675.0], 30.0,
                               origin=LANDSAT) == (452475.0, 3408585.0, 452535.0, 3408675.0)


def test_tile_scene_records_resolution_and_units(xyz, tmp_path):
    xml, _, label, _ = xyz
    out = tmp_path / "dataset"
    tiling.tile_scene(tiling.TileParams(xml, str(out), label=label, tile_size=32,
                                        method="stride", resolution=10.0,
                                        extent=webtiles.scene_bounds(), image_name="tiles"))
    info = dataset.read_info(out)
    assert info.resolution == [10.0, 10.0] and info.crs_units == "metre"
    assert info.data_type == "Byte" and info.bands == 3


def _dataset_meta(mean, std, data_type="UInt16"):
    return {"data_type": data_type, "bands": 3, "mean": mean, "std": std,
            "band_names": ["red", "green", "nir"]}


def test_drift_names_the_bands_of_8bit_tiles_against_16bit_training(tmp_path):
    image, _ = synthetic_scene(h=64, w=64)
    path = write_raster(tmp_path / "rgb.tif", (image // 2).astype(np.uint8))
    meta = _dataset_meta([8000.0, 9000.0, 120.0], [1000.0, 1000.0, 40.0])
    warnings = drift.input_warnings(gdal.Open(path), [1, 2, 3], meta, "rgb.tif")
    assert all(w.level == "warning" for w in warnings)
    text = " ".join(warnings)
    assert "UInt16" in text and "Byte" in text
    assert "band(s) 1, 2:" in text and "band 1 (red)" in text and "band 3" not in text


def test_no_drift_warning_for_data_like_the_training_data(tmp_path):
    image, _ = synthetic_scene(h=64, w=64)
    path = write_raster(tmp_path / "same.tif", image)
    values = image.reshape(-1, 3).astype(float)
    meta = _dataset_meta(values.mean(0).tolist(), values.std(0).tolist())
    assert drift.input_warnings(gdal.Open(path), [1, 2, 3], meta, "same.tif") == []


@pytest.mark.parametrize("resolution, warned", [(10.0, False), (12.0, False), (13.0, True),
                                                (30.0, True), (7.0, True)])
def test_resolution_warning_beyond_25_percent(resolution, warned):
    meta = {"resolution": [10.0, 10.0], "crs_units": "metre"}
    warning = drift.resolution_warning(resolution, "metre", meta, "layer")
    assert (warning is not None) == warned
