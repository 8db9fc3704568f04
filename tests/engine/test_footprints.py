"""Where a model was trained (data/footprints.py), class names inside the .tif
(data/raster.py) and the shipped sample (data/sample.py): GDAL and NumPy only."""

import json
import os
import shutil

import numpy as np
import pytest
from osgeo import gdal, osr

from rasters import ORIGIN, srs_wkt, write_raster
from semantic_segmentation.engine.data import footprints, labels, raster, sample

PIXEL = 30.0


def _box(col0, col1, row0, row1):
    """The ground box of columns col0..col1 and rows row0..row1 of the rasters here."""
    x0, y0 = ORIGIN
    return [x0 + col0 * PIXEL, y0 - row1 * PIXEL, x0 + col1 * PIXEL, y0 - row0 * PIXEL]


def test_overlap_is_the_share_of_valid_reference_pixels_in_the_boxes(tmp_path):
    ref = np.zeros((100, 100), np.uint8)
    ref[:, 90:] = 255  # nodata: not counted
    path = write_raster(tmp_path / "ref.tif", ref, nodata=255)
    fps = [{"crs": srs_wkt(), "boxes": [_box(0, 30, 0, 100)]}]
    fraction, valid = footprints.overlap_fraction(path, fps)
    assert valid == 9000
    assert fraction == pytest.approx(3000 / 9000)
    # two boxes that overlap count each pixel once; the ignore value is not counted
    ref[:50, :] = 7
    path = write_raster(tmp_path / "ref2.tif", ref, nodata=255)
    fps = [{"crs": srs_wkt(), "boxes": [_box(0, 30, 0, 100), _box(20, 40, 0, 100)]}]
    fraction, valid = footprints.overlap_fraction(path, fps, ignore_value=7)
    assert valid == 4500 and fraction == pytest.approx(2000 / 4500)


def test_overlap_with_footprints_in_another_crs(tmp_path):
    path = write_raster(tmp_path / "ref.tif", np.zeros((100, 100), np.uint8))
    utm, wgs84 = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromWkt(srs_wkt())
    wgs84.ImportFromEPSG(4326)
    for srs in (utm, wgs84):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_wgs84 = osr.CoordinateTransformation(utm, wgs84)
    xmin, ymin, xmax, ymax = _box(0, 50, 0, 100)
    (lon0, lat0, _), (lon1, lat1, _) = to_wgs84.TransformPoints([(xmin, ymin), (xmax, ymax)])
    fps = [{"crs": wgs84.ExportToWkt(), "boxes": [[lon0, lat0, lon1, lat1]]}]
    fraction, _valid = footprints.overlap_fraction(path, fps)
    assert fraction == pytest.approx(0.5, abs=0.02)


def test_training_footprints_group_chips_by_crs(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    chip = np.zeros((10, 10), np.uint8)
    write_raster(images / "a.tif", chip)
    write_raster(images / "b.tif", chip, origin=(ORIGIN[0] + 300, ORIGIN[1]))
    write_raster(images / "c.tif", chip, epsg=4326, pixel=0.001, origin=(-87.0, 38.0))
    groups = footprints.training_footprints(str(tmp_path), ["a", "b", "c", "missing"])
    assert sorted(g["chips"] for g in groups) == [1, 2]
    utm = next(g for g in groups if g["chips"] == 2)
    assert utm["extent"] == pytest.approx(
        [ORIGIN[0], ORIGIN[1] - 300, ORIGIN[0] + 600, ORIGIN[1]])
    assert len(utm["boxes"]) == 2
    # the class raster's metadata items round-trip
    ds = gdal.GetDriverByName("GTiff").Create(str(tmp_path / "p.tif"), 2, 2, 1)
    ds.SetMetadataItem(footprints.FOOTPRINTS_ITEM, footprints.footprints_text(groups))
    ds.SetMetadataItem(footprints.MODEL_ITEM, "/models/m.keras")
    ds = None
    model, read = footprints.read_footprints(gdal.Open(str(tmp_path / "p.tif")))
    assert model == "/models/m.keras" and json.loads(json.dumps(read)) == read
    assert [g["chips"] for g in read] == [g["chips"] for g in groups]


def test_class_names_survive_a_copy_of_the_tif_alone(tmp_path):
    path = str(tmp_path / "classes.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 4, 4, 1, gdal.GDT_Byte)
    raster.set_class_table(ds.GetRasterBand(1), [(0, "clear", (0, 128, 0)),
                                                 (2, "cirrus", (0, 0, 255))])
    ds = None
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    shutil.copyfile(path, copy / "classes.tif")  # no .aux.xml beside the copy
    assert not (copy / "classes.tif.aux.xml").exists()
    copied = gdal.Open(str(copy / "classes.tif"))
    assert raster.category_names(copied.GetRasterBand(1)) == ["clear", "", "cirrus"]
    cmap = labels.load_color_map_file(str(copy / "classes.tif"))
    assert cmap.classes() == [(0, "clear", (0, 128, 0)), (2, "cirrus", (0, 0, 255))]


def test_shipped_sample_is_real_small_and_carries_its_classes(tmp_path):
    image, label = sample.shipped()
    assert os.path.getsize(image) + os.path.getsize(label) < 5e6
    assert not os.path.exists(label + ".aux.xml")
    ds = gdal.Open(image)
    assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (512, 512, 10)
    assert ds.GetRasterBand(4).GetDescription() == "B4"
    written = sample.write_sample(str(tmp_path / "data"))
    ds = gdal.Open(written[1])
    assert raster.category_names(ds.GetRasterBand(1)) == ["clear", "cloud", "cirrus"]
    values = ds.ReadAsArray()
    assert set(np.unique(values).tolist()) <= {0, 1, 2, 255}
    assert min(np.bincount(values[values != 255].ravel(), minlength=3)) > 1000
    split = sample.holdout_split(*written, str(tmp_path / "split"))
    assert split["split_x"] == 341
    assert gdal.Open(split["train_image"]).RasterXSize == 341
    held = gdal.Open(split["heldout_label"])
    assert held.RasterXSize == 512 - 341
    assert raster.category_names(held.GetRasterBand(1)) == ["clear", "cloud", "cirrus"]
