"""Colour <-> index label rasters and colour maps (engine/data/labels.py)."""

import json
import os

import numpy as np
import pytest
from osgeo import gdal

from rasters import read_raster, write_raster
from semantic_segmentation.engine import outputs
from semantic_segmentation.engine.data import labels
from semantic_segmentation.engine.errors import Cancelled, InputError
from semantic_segmentation.engine.progress import Progress

CMAP = labels.ColorMap(values=[0, 1, 2], names=["background", "building", "road"],
                       colors=[(0, 0, 0), (255, 255, 255), (200, 30, 40)], name="test")


def _rgb_label(seed=0, h=40, w=50):
    rng = np.random.default_rng(seed)
    index = rng.integers(0, 3, size=(h, w)).astype(np.uint8)
    rgb = np.array(CMAP.colors, np.uint8)[index]
    return index, rgb


def test_color_index_color_roundtrip_is_identity(tmp_path):
    index, rgb = _rgb_label()
    src = write_raster(tmp_path / "rgb.tif", rgb)
    res = labels.color_to_index(src, tmp_path / "idx.tif", CMAP)
    back = labels.index_to_color(res.output, tmp_path / "rgb2.tif", CMAP)
    got_index, _ = read_raster(res.output)
    got_rgb, _ = read_raster(back.output)
    np.testing.assert_array_equal(got_index[..., 0], index)
    np.testing.assert_array_equal(got_rgb, rgb)
    assert res.counts == {v: int((index == v).sum()) for v in range(3)}
    assert res.unknown_pixels == 0 and back.unknown_pixels == 0


def test_unknown_colour_fails_listing_colour_and_count(tmp_path):
    _, rgb = _rgb_label()
    rgb[:3, :4] = (10, 20, 30)  # 12 pixels of a colour not in the map
    src = write_raster(tmp_path / "rgb.tif", rgb)
    with pytest.raises(InputError) as err:
        labels.color_to_index(src, tmp_path / "idx.tif", CMAP, unknown="fail")
    assert "(10, 20, 30): 12 pixels" in str(err.value)
    assert "rgb.tif" in str(err.value)


def test_unknown_colour_becomes_255_with_ignore(tmp_path):
    index, rgb = _rgb_label()
    rgb[:3, :4] = (10, 20, 30)
    src = write_raster(tmp_path / "rgb.tif", rgb)
    res = labels.color_to_index(src, tmp_path / "idx.tif", CMAP, unknown="ignore")
    got, ds = read_raster(res.output)
    assert (got[:3, :4] == 255).all()
    np.testing.assert_array_equal(got[3:, ..., 0], index[3:])
    assert res.unknown_pixels == 12 and res.unknown == [((10, 20, 30), 12)]
    assert ds.GetRasterBand(1).GetNoDataValue() is None  # 255 is 'ignore', not nodata


def test_color_to_index_keeps_georeference(tmp_path):
    _, rgb = _rgb_label()
    src = write_raster(tmp_path / "rgb.tif", rgb, pixel=0.5, origin=(1000.0, 2000.0))
    res = labels.color_to_index(src, tmp_path / "idx.tif", CMAP)
    a, b = gdal.Open(src), gdal.Open(res.output)
    assert b.GetGeoTransform() == a.GetGeoTransform()
    assert b.GetProjection() == a.GetProjection()
    assert b.GetRasterBand(1).DataType == gdal.GDT_Byte


def test_color_to_index_writes_colour_table_and_category_names(tmp_path):
    _, rgb = _rgb_label()
    src = write_raster(tmp_path / "rgb.tif", rgb)
    res = labels.color_to_index(src, tmp_path / "idx.tif", CMAP)
    ds = gdal.Open(res.output)
    band = ds.GetRasterBand(1)
    table = band.GetRasterColorTable()
    assert [table.GetColorEntry(v)[:3] for v in range(3)] == CMAP.colors
    assert band.GetCategoryNames()[:3] == CMAP.names


def test_paletted_input_is_read_through_its_colour_table(tmp_path):
    index = np.array([[5, 6], [7, 5]], np.uint8)
    src = write_raster(tmp_path / "pal.tif", index,
                       color_table={5: (0, 0, 0), 6: (255, 255, 255), 7: (200, 30, 40)})
    res = labels.color_to_index(src, tmp_path / "idx.tif", CMAP)
    got, _ = read_raster(res.output)
    np.testing.assert_array_equal(got[..., 0], [[0, 1], [2, 0]])


def test_voc_border_colour_maps_to_ignore(tmp_path):
    voc = labels.load_preset("voc")
    rgb = np.array([[[0, 0, 0], [224, 224, 192]], [[128, 0, 0], [0, 128, 0]]], np.uint8)
    res = labels.color_to_index(write_raster(tmp_path / "voc.tif", rgb), tmp_path / "i.tif", voc)
    got, _ = read_raster(res.output)
    np.testing.assert_array_equal(got[..., 0], [[0, 255], [1, 2]])


def test_qgis_colour_map_export_is_parsed(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("# QGIS Generated Color Map Export File\n"
                    "INTERPOLATION:EXACT\n"
                    "0,0,0,0,255,background\n"
                    "1,255,255,255,255,building, with comma\n"
                    "2,200,30,40,255,2\n")
    cmap = labels.load_color_map_file(path)
    assert cmap.values == [0, 1, 2]
    assert cmap.names == ["background", "building, with comma", "2"]
    assert cmap.colors == [(0, 0, 0), (255, 255, 255), (200, 30, 40)]


def test_json_colour_map_file_roundtrips_to_json(tmp_path):
    path = tmp_path / "map.json"
    path.write_text(json.dumps(CMAP.to_json()))
    assert labels.load_color_map_file(path).classes() == CMAP.classes()


@pytest.mark.parametrize("text, words", [
    ("0,0,0,0,255,a\n0,1,1,1,255,b\n", "value 0 appears twice"),
    ("0,0,0,0,255,a\n1,0,0,0,255,b\n", "colour (0, 0, 0)"),
    ("0,zero,0,0,255,a\n", "line 1: bad number"),
    ("300,1,2,3,255,a\n", "outside 0..254"),
])
def test_malformed_colour_map_file_raises_clear_error(tmp_path, text, words):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InputError, match="bad.txt") as err:
        labels.load_color_map_file(path)
    assert words in str(err.value)


def test_malformed_json_colour_map_raises_clear_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"classes": [{"value": 0, "color": [0, 0]}]}')
    with pytest.raises(InputError, match="bad.json"):
        labels.load_color_map_file(path)


def test_failed_run_leaves_no_output_file(tmp_path):
    _, rgb = _rgb_label()
    rgb[0, 0] = (1, 2, 3)
    src = write_raster(tmp_path / "rgb.tif", rgb)
    out = tmp_path / "idx.tif"
    with pytest.raises(InputError):
        labels.color_to_index(src, out, CMAP)
    assert not out.exists() and outputs.stale_partials(tmp_path) == []


def test_cancelled_run_leaves_no_output_file(tmp_path):
    _, rgb = _rgb_label()
    src = write_raster(tmp_path / "rgb.tif", rgb)
    out = tmp_path / "idx.tif"
    with pytest.raises(Cancelled):
        labels.color_to_index(src, out, CMAP, progress=Progress(lambda f: False))
    assert not out.exists() and outputs.stale_partials(tmp_path) == []


def test_index_to_color_counts_values_not_in_map(tmp_path):
    index = np.array([[0, 1, 9], [9, 2, 0]], np.uint8)
    res = labels.index_to_color(write_raster(tmp_path / "i.tif", index), tmp_path / "c.tif", CMAP)
    got, ds = read_raster(res.output)
    assert ds.RasterCount == 3 and (got[0, 2] == 0).all()
    assert res.unknown == [(9, 2)] and res.unknown_pixels == 2


def test_every_preset_loads_with_class_0_background():
    assert set(labels.PRESETS) >= {"voc", "inria", "cityscapes", "ade20k"}
    for name in labels.PRESETS:
        cmap = labels.load_preset(name)
        assert cmap.values[0] == 0 and cmap.names[0] == "background", name
    assert len(labels.load_preset("voc").values) == 21
    assert len(labels.load_preset("cityscapes").values) == 20
    assert len(labels.load_preset("ade20k-style").values) == 151
