"""Tile Dataset (semseg:tiledataset) through processing.run."""

import json
import os

import numpy as np
import pytest

from rasters import ORIGIN, read_raster, synthetic_scene, write_raster

ALG = "semseg:tiledataset"


@pytest.fixture
def scene(tmp_path):
    image, label = synthetic_scene(h=64, w=96, bands=3)
    return (write_raster(tmp_path / "scene.tif", image),
            write_raster(tmp_path / "scene_label.tif", label), label)


def _chips(folder, sub):
    return sorted(f for f in os.listdir(os.path.join(folder, sub)) if f.endswith(".tif"))


def test_stride_tiles_cover_scene_and_write_dataset_json(run, scene, tmp_path):
    image, label, _ = scene
    out = str(tmp_path / "dataset")
    res = run(ALG, {"IMAGE": image, "LABEL": label, "TILE_SIZE": 32, "METHOD": "stride",
                    "VAL_FRACTION": 0.25, "OUTPUT": out})
    assert res["OUTPUT"] == out
    assert res["TILE_COUNT"] == 6  # 2 rows x 3 columns of 32-pixel tiles
    assert len(_chips(out, "images")) == 6
    assert _chips(out, "labels") == _chips(out, "images")
    with open(os.path.join(out, "dataset.json"), encoding="utf-8") as f:
        dataset = json.load(f)
    assert dataset["tile_size"] == 32 and dataset["bands"] == 3
    train, val = ((tmp_path / "dataset" / split).read_text(encoding="utf-8").split()
                  for split in ("train.txt", "val.txt"))
    assert sorted(train + val) == [n[:-4] for n in _chips(out, "images")]
    assert len(val) >= 1 and len(train) >= 1


def test_label_chip_matches_label_raster(run, scene, tmp_path):
    image, label, label_array = scene
    out = str(tmp_path / "dataset")
    run(ALG, {"IMAGE": image, "LABEL": label, "TILE_SIZE": 32, "METHOD": "stride", "OUTPUT": out})
    chips = {}
    for name in _chips(out, "labels"):
        arr, ds = read_raster(os.path.join(out, "labels", name))
        x0, _, _, y0, _, _ = ds.GetGeoTransform()
        col, row = int(round((x0 - ORIGIN[0]) / 30)), int(round((ORIGIN[1] - y0) / 30))
        chips[(row, col)] = arr[..., 0]
    assert set(chips) == {(r, c) for r in (0, 32) for c in (0, 32, 64)}
    for (r, c), chip in chips.items():
        np.testing.assert_array_equal(chip, label_array[r:r + 32, c:c + 32])


def test_random_method_writes_tiles_per_image(run, scene, tmp_path):
    image, label, _ = scene
    out = str(tmp_path / "dataset")
    res = run(ALG, {"IMAGE": image, "LABEL": label, "TILE_SIZE": 32, "METHOD": "random",
                    "TILES_PER_IMAGE": 5, "SEED": 3, "OUTPUT": out})
    assert res["TILE_COUNT"] == 5
    assert len(_chips(out, "images")) == 5


def test_label_vector_from_memory_layer_is_burnt(run, scene, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    image, _, _ = scene
    layer = QgsVectorLayer("Polygon?crs=EPSG:32616&field=cls:integer", "labels", "memory")
    x0, y0 = ORIGIN
    left, right = QgsFeature(layer.fields()), QgsFeature(layer.fields())
    left.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0 - 64 * 30, x0 + 48 * 30, y0)))
    left.setAttributes([1])
    right.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0 + 48 * 30, y0 - 64 * 30,
                                                        x0 + 96 * 30, y0)))
    right.setAttributes([2])
    layer.dataProvider().addFeatures([left, right])
    out = str(tmp_path / "dataset")
    res = run(ALG, {"IMAGE": image, "LABEL_VECTOR": layer, "LABEL_FIELD": "cls",
                    "TILE_SIZE": 32, "METHOD": "stride", "OUTPUT": out})
    assert res["TILE_COUNT"] == 6
    values = set()
    for name in _chips(out, "labels"):
        arr, _ = read_raster(os.path.join(out, "labels", name))
        values |= set(np.unique(arr).tolist())
    assert values == {1, 2}


def test_label_vector_without_field_fails(run, scene, tmp_path):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    image, _, _ = scene
    layer = QgsVectorLayer("Polygon?crs=EPSG:32616&field=cls:integer", "labels", "memory")
    out = tmp_path / "dataset"
    with pytest.raises(QgsProcessingException, match="LABEL_FIELD"):
        run(ALG, {"IMAGE": image, "LABEL_VECTOR": layer, "TILE_SIZE": 32, "OUTPUT": str(out)})
    assert not out.exists()


def test_label_not_overlapping_fails(run, scene, tmp_path):
    from qgis.core import QgsProcessingException

    image, _, label_array = scene
    far = write_raster(tmp_path / "far_label.tif", label_array,
                       origin=(ORIGIN[0] + 100000, ORIGIN[1]))
    out = tmp_path / "dataset"
    with pytest.raises(QgsProcessingException, match="does not overlap"):
        run(ALG, {"IMAGE": image, "LABEL": far, "TILE_SIZE": 32, "OUTPUT": str(out)})
    assert not out.exists()


def test_cancelled_run_leaves_no_dataset(run, scene, tmp_path, cancelling_feedback):
    from qgis.core import QgsProcessingException

    image, label, _ = scene
    out = tmp_path / "dataset"
    fb = cancelling_feedback(after=3)
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        run(ALG, {"IMAGE": image, "LABEL": label, "TILE_SIZE": 32, "METHOD": "stride",
                  "OUTPUT": str(out)}, fb)
    assert fb.calls >= 3
    assert not out.exists()


@pytest.mark.parametrize("kind, message", [
    ("rgb", r"bad_label\.tif has 3 bands.*Color to Index"),
    ("float", r"bad_label\.tif has the value 1\.7 "),
])
def test_misreadable_label_raster_fails_naming_it(run, scene, tmp_path, kind, message):
    from qgis.core import QgsProcessingException

    image, _, label_array = scene
    if kind == "rgb":
        bad = np.stack([label_array * 100] * 3, axis=-1)
    else:
        bad = label_array.astype(np.float32)
        bad[10, 20] = 1.7
    path = write_raster(tmp_path / "bad_label.tif", bad)
    out = tmp_path / "dataset"
    with pytest.raises(QgsProcessingException, match=message):
        run(ALG, {"IMAGE": image, "LABEL": path, "TILE_SIZE": 32, "METHOD": "stride",
                  "OUTPUT": str(out)})
    assert not out.exists()


@pytest.mark.parametrize("name, value", [("VAL_FRACTION", 0.95), ("MIN_LABELLED", 1.5)])
def test_values_past_a_parameters_range_are_refused_by_qgis(run, scene, tmp_path, name, value):
    """The parameters' own minimum and maximum are the only range check."""
    from qgis.core import QgsProcessingException

    out = tmp_path / "dataset"
    with pytest.raises(QgsProcessingException, match=name):
        run(ALG, {"IMAGE": scene[0], "LABEL": scene[1], "TILE_SIZE": 32, "METHOD": "stride",
                  name: value, "OUTPUT": str(out)})
    assert not out.exists()


def _polygon_layer(path, box):
    """A GeoPackage with one polygon ``box`` = (x0, y0, x1, y1) in pixels of the scene."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32616)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("area", srs, ogr.wkbPolygon)
    x0, y0, x1, y1 = (ORIGIN[0] + box[0] * 30, ORIGIN[1] - box[1] * 30,
                      ORIGIN[0] + box[2] * 30, ORIGIN[1] - box[3] * 30)
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
        ring.AddPoint_2D(x, y)
    polygon = ogr.Geometry(ogr.wkbPolygon)
    polygon.AddGeometry(ring)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(polygon)
    layer.CreateFeature(feature)
    ds = None
    return str(path)


@pytest.mark.parametrize("split", ["blocks", "random"])
def test_split_by_name_is_recorded_in_dataset_json(run, scene, tmp_path, split):
    image, label, _ = scene
    out = str(tmp_path / "dataset")
    run(ALG, {"IMAGE": image, "LABEL": label, "TILE_SIZE": 16, "METHOD": "stride",
              "STRIDE": 8, "SPLIT": split, "OUTPUT": out})
    with open(os.path.join(out, "dataset.json"), encoding="utf-8") as f:
        recorded = json.load(f)["split"]
    assert recorded["method"] == split
    if split == "blocks":
        assert recorded["val_pixels_in_train_chips"] == 0
    else:
        assert recorded["val_pixels_in_train_chips"] > 0


def test_validation_area_layer_takes_the_validation_chips(run, scene, tmp_path):
    image, label, _ = scene
    area = _polygon_layer(tmp_path / "area.gpkg", (0.5, 0.5, 47.5, 63.5))
    out = tmp_path / "dataset"
    run(ALG, {"IMAGE": image, "LABEL": label, "TILE_SIZE": 16, "METHOD": "stride",
              "VALIDATION_AREA": area, "OUTPUT": str(out)})
    val = (out / "val.txt").read_text(encoding="utf-8").split()
    assert val
    for name in val:
        _, ds = read_raster(out / "images" / f"{name}.tif")
        x = (ds.GetGeoTransform()[0] - ORIGIN[0]) / 30
        assert x + 16 <= 48  # inside the drawn area
    with open(out / "dataset.json", encoding="utf-8") as f:
        assert json.load(f)["split"] == {"method": "area", "val_pixels_in_train_chips": 0}


def test_extent_chips_are_the_layers_pixels(run, tmp_path):
    """EXTENT on a layer whose origin is no multiple of its 30 m pixels (like the
    Landsat scene): whole pixels of its grid, so the chips are its pixels."""
    origin = (452475.0, 3408675.0)
    image, label = synthetic_scene(h=64, w=96, bands=3)
    src = write_raster(tmp_path / "landsat.tif", image, origin=origin)
    lab = write_raster(tmp_path / "landsat_label.tif", label, origin=origin)
    out = str(tmp_path / "dataset")
    x0, y0 = origin
    extent = "{0},{1},{2},{3} [EPSG:32616]".format(x0 + 31.5 * 30, x0 + 96 * 30,
                                                   y0 - 64 * 30, y0 - 0.2 * 30)
    run(ALG, {"IMAGE": src, "LABEL": lab, "TILE_SIZE": 32, "METHOD": "stride",
              "EXTENT": extent, "OUTPUT": out})
    names = _chips(out, "images")
    assert names
    for name in names:
        chip, ds = read_raster(os.path.join(out, "images", name))
        lchip, _ = read_raster(os.path.join(out, "labels", name))
        gx, dx, _, gy, _, dy = ds.GetGeoTransform()
        col, row = (gx - x0) / 30, (y0 - gy) / 30
        assert (dx, dy) == (30.0, -30.0) and col == int(col) and row == int(row)
        col, row = int(col), int(row)
        np.testing.assert_array_equal(chip, image[row:row + 32, col:col + 32])
        np.testing.assert_array_equal(lchip[..., 0], label[row:row + 32, col:col + 32])
