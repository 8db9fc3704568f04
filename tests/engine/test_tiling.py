"""Tile Dataset's engine: scenes and labels cut into chips (engine/data/tiling.py)."""

import json
import os

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from rasters import ORIGIN, read_raster, srs_wkt, synthetic_scene, write_raster
from semantic_segmentation.engine.data import tiling
from semantic_segmentation.engine.errors import Cancelled, InputError
from semantic_segmentation.engine.progress import Progress


def _scene(tmp_path, name="scene", h=96, w=128, bands=3, seed=0, **kw):
    image, label = synthetic_scene(h=h, w=w, bands=bands, seed=seed)
    img = write_raster(tmp_path / f"{name}.tif", image, **kw)
    lab = write_raster(tmp_path / f"{name}_label.tif", label,
                       color_table={0: (0, 0, 0), 1: (255, 0, 0), 2: (0, 255, 0)})
    return img, lab, image, label


def _names(folder, split):
    with open(os.path.join(folder, split)) as f:
        return [line.strip() for line in f if line.strip()]


def _meta(folder):
    with open(os.path.join(folder, "dataset.json")) as f:
        return json.load(f)


def _listing(folder):
    return sorted(os.path.relpath(os.path.join(d, n), folder)
                  for d, _, files in os.walk(folder) for n in files)


def test_stride_tiles_cover_scene_with_georeference(tmp_path):
    img, lab, image, label = _scene(tmp_path)
    out = tmp_path / "ds"
    res = tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32,
                                              method="stride", val_fraction=0.25))
    assert res.tile_count == res.total_tiles == 12 and res.train + res.val == 12
    assert res.val == 3 and res.dropped == 0  # a small scene: blocks of one tile, 1 in 4
    names = _names(out, "train.txt") + _names(out, "val.txt")
    assert sorted(names) == [f"scene_{i:06d}" for i in range(12)]
    covered = np.zeros(label.shape, bool)
    for name in names:
        chip, ds = read_raster(out / "images" / f"{name}.tif")
        lchip, lds = read_raster(out / "labels" / f"{name}.tif")
        gt = ds.GetGeoTransform()
        x, y = int(round((gt[0] - ORIGIN[0]) / 30)), int(round((ORIGIN[1] - gt[3]) / 30))
        assert ds.GetRasterBand(1).DataType == gdal.GDT_UInt16 and chip.shape == (32, 32, 3)
        np.testing.assert_array_equal(chip, image[y:y + 32, x:x + 32])
        np.testing.assert_array_equal(lchip[..., 0], label[y:y + 32, x:x + 32])
        assert lds.GetGeoTransform() == gt and ds.GetProjection() == srs_wkt()
        assert lds.GetRasterBand(1).GetRasterColorTable().GetColorEntry(1)[:3] == (255, 0, 0)
        covered[y:y + 32, x:x + 32] = True
    assert covered.all()
    meta = _meta(out)
    assert meta["format"] == "semseg-dataset" and meta["tile_size"] == 32
    assert meta["bands"] == 3 and meta["data_type"] == "UInt16" and meta["has_labels"]
    assert meta["band_names"] == ["Band 1", "Band 2", "Band 3"]
    assert meta["classes"] == {str(c): int((label == c).sum()) for c in range(3)}
    assert meta["class_colors"]["2"] == [0, 255, 0]
    assert not [p for p in _listing(out) if p.endswith(".aux.xml") or "tmp" in p]


def test_random_tiles_reproducible_by_seed(tmp_path):
    img, lab, _, _ = _scene(tmp_path)
    runs = []
    for i, seed in enumerate((7, 7, 8)):
        out = tmp_path / f"ds{i}"
        tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32,
                                            tiles_per_image=6, seed=seed))
        chips = [read_raster(out / "images" / f"scene_{k:06d}.tif")[0] for k in range(6)]
        runs.append((np.stack(chips), _names(out, "val.txt")))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]
    assert not np.array_equal(runs[0][0], runs[2][0])


def test_label_on_other_crs_is_warped(tmp_path):
    img, _, _, label = _scene(tmp_path)
    # The same label on a 15 m grid in UTM 17N would be a mess to build by hand:
    # warp it to WGS 84 instead and let tile_scene warp it back.
    lab = write_raster(tmp_path / "lab.tif", label)
    geo = str(tmp_path / "lab_4326.tif")
    gdal.Warp(geo, lab, dstSRS="EPSG:4326", resampleAlg="near")
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img, out, label=geo, tile_size=32, method="stride",
                                        val_fraction=0))
    chip, ds = read_raster(out / "labels" / "scene_000005.tif")
    gt = ds.GetGeoTransform()
    x, y = int(round((gt[0] - ORIGIN[0]) / 30)), int(round((ORIGIN[1] - gt[3]) / 30))
    agree = (chip[..., 0] == label[y:y + 32, x:x + 32]).mean()
    assert agree > 0.9 and ds.GetProjection() == srs_wkt()


def test_label_not_overlapping_is_clear_error(tmp_path):
    img, _, _, label = _scene(tmp_path)
    far = write_raster(tmp_path / "far.tif", label, origin=(900000.0, 1000000.0))
    out = tmp_path / "ds"
    with pytest.raises(InputError, match="label .*far.tif.* does not overlap"):
        tiling.tile_scene(tiling.TileParams(img, out, label=far, tile_size=32))
    assert not out.exists()


def test_multiband_label_is_refused_naming_file_and_bands(tmp_path):
    img, _, _, label = _scene(tmp_path)
    rgb = write_raster(tmp_path / "rgb_label.tif", np.stack([label * 100] * 3, axis=-1))
    out = tmp_path / "ds"
    with pytest.raises(InputError, match=r"rgb_label\.tif has 3 bands.*Color to Index"):
        tiling.tile_scene(tiling.TileParams(img, out, label=rgb, tile_size=32))
    assert not out.exists()


@pytest.mark.parametrize("other_grid", [False, True])
def test_non_integer_float_label_is_refused_naming_file_and_value(tmp_path, other_grid):
    img, _, _, label = _scene(tmp_path)
    values = label.astype(np.float32)
    values[40, 50] = 1.7
    kw = {"pixel": 15.0} if other_grid else {}  # on another grid it is read through a warp
    lab = write_raster(tmp_path / "float_label.tif", np.kron(values, np.ones((2, 2)))
                       .astype(np.float32) if other_grid else values, **kw)
    out = tmp_path / "ds"
    with pytest.raises(InputError, match=r"float_label\.tif has the value 1\.7 "):
        tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32, method="stride"))
    assert not out.exists()


def test_integer_valued_float_label_is_accepted(tmp_path):
    img, _, _, label = _scene(tmp_path)
    lab = write_raster(tmp_path / "float_label.tif", label.astype(np.float32))
    res = tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab, tile_size=32,
                                              method="stride"))
    assert res.tile_count == 12
    assert _meta(tmp_path / "ds")["classes"] == {"0": int((label == 0).sum()),
                                                "1": int((label == 1).sum()),
                                                "2": int((label == 2).sum())}


def _write_polygons(path, polygons, epsg=4326):
    """A GeoPackage layer ``polys`` of (class, utm ring) polygons in ``epsg``."""
    utm, dst = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromEPSG(32616)
    dst.ImportFromEPSG(epsg)
    for s in (utm, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(utm, dst)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("polys", dst, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("cls", ogr.OFTInteger))
    for cls, ring_xy in polygons:
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ring_xy:
            px, py, _ = ct.TransformPoint(x, y)
            ring.AddPoint_2D(px, py)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("cls", cls)
        feature.SetGeometry(poly)
        layer.CreateFeature(feature)
    ds = None
    return str(path)


def _box(px0, py0, px1, py1):
    x0, y0 = ORIGIN
    return [(x0 + px0 * 30, y0 - py0 * 30), (x0 + px1 * 30, y0 - py0 * 30),
            (x0 + px1 * 30, y0 - py1 * 30), (x0 + px0 * 30, y0 - py1 * 30),
            (x0 + px0 * 30, y0 - py0 * 30)]


def test_label_vector_rasterized(tmp_path):
    img, _, _, _ = _scene(tmp_path)
    gpkg = _write_polygons(tmp_path / "v.gpkg", [(2, _box(0, 0, 64, 32)), (1, _box(64, 0, 128, 32))])
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img, out, label_vector=f"{gpkg}|layername=polys",
                                        label_field="cls", tile_size=32, method="stride",
                                        val_fraction=0))
    first = read_raster(out / "labels" / "scene_000000.tif")[0][..., 0]
    fourth = read_raster(out / "labels" / "scene_000003.tif")[0][..., 0]
    lower = read_raster(out / "labels" / "scene_000004.tif")[0][..., 0]
    assert (first[1:-1, 1:-1] == 2).all() and (fourth[1:-1, 1:-1] == 1).all()
    assert (lower == 255).all()
    meta = _meta(out)
    assert set(meta["classes"]) == {"1", "2"} and meta["sources"][0]["label_vector"].endswith("polys")


def test_min_labelled_skips_chips(tmp_path):
    img, _, _, label = _scene(tmp_path)
    partial = label.copy()
    partial[:, 64:] = 255  # right half unlabelled
    lab = write_raster(tmp_path / "half.tif", partial)
    out = tmp_path / "ds"
    res = tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32,
                                              method="stride", min_labelled=0.5, val_fraction=0))
    assert res.tile_count == 6 and res.skipped == 6
    for name in _names(out, "train.txt"):
        chip = read_raster(out / "labels" / f"{name}.tif")[0]
        assert (chip != 255).mean() >= 0.5


def test_random_method_keeps_drawing_to_reach_count(tmp_path):
    img, _, _, label = _scene(tmp_path)
    partial = label.copy()
    partial[:, 64:] = 255
    lab = write_raster(tmp_path / "half.tif", partial)
    res = tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab, tile_size=32,
                                              tiles_per_image=10, min_labelled=0.9, seed=3,
                                              split="random"))
    assert res.tile_count == 10 and res.skipped > 0


def test_image_nodata_is_ignored_in_labels_and_stats(tmp_path):
    image, label = synthetic_scene(h=64, w=64, bands=2)
    image[:10, :, 1] = 0
    img = write_raster(tmp_path / "nd.tif", image, nodata=0)
    lab = write_raster(tmp_path / "lab.tif", label)
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32, method="stride",
                                        val_fraction=0))
    chip, ds = read_raster(out / "labels" / "nd_000000.tif")
    assert (chip[:10] == 255).all() and (chip[10:] != 255).all()
    assert read_raster(out / "images" / "nd_000000.tif")[1].GetRasterBand(1).GetNoDataValue() == 0
    valid = image[10:].reshape(-1, 2).astype(float)
    meta = _meta(out)
    assert meta["nodata"] == 0 and meta["stats"]["count"] == [valid.shape[0]] * 2
    np.testing.assert_allclose(meta["mean"], valid.mean(axis=0))


def test_append_second_scene_updates_stats_and_split(tmp_path):
    img1, lab1, _, _ = _scene(tmp_path, "a")
    os.makedirs(tmp_path / "other")
    img2, lab2, _, _ = _scene(tmp_path / "other", "a", seed=5)  # same stem
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img1, out, label=lab1, tile_size=32, method="stride",
                                        seed=1))
    train1, val1 = _names(out, "train.txt"), _names(out, "val.txt")
    res = tiling.tile_scene(tiling.TileParams(img2, out, label=lab2, tile_size=32,
                                              tiles_per_image=5, seed=1))
    assert res.tile_count == 5 and res.total_tiles == 17 and res.train + res.val == 5
    train, val = _names(out, "train.txt"), _names(out, "val.txt")
    assert set(train1) <= set(train) and set(val1) <= set(val)
    assert train == sorted(train) and len(train) + len(val) == 17 and not set(train) & set(val)
    assert sum(n.startswith("a_2_") for n in train + val) == 5
    pixels = np.concatenate([read_raster(out / "images" / f"{n}.tif")[0].reshape(-1, 3)
                             for n in train + val]).astype(np.float64)
    meta = _meta(out)
    np.testing.assert_allclose(meta["mean"], pixels.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(meta["std"], pixels.std(axis=0), rtol=1e-6)
    assert [s["prefix"] for s in meta["sources"]] == ["a", "a_2"] and meta["tile_count"] == 17
    labels = np.concatenate([read_raster(out / "labels" / f"{n}.tif")[0].ravel()
                             for n in train + val])
    assert meta["classes"] == {str(c): int((labels == c).sum()) for c in range(3)}


def test_band_mismatch_refused(tmp_path):
    img1, lab1, _, _ = _scene(tmp_path, "a")
    img2, lab2, _, _ = _scene(tmp_path, "b", bands=4)
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img1, out, label=lab1, tile_size=32, tiles_per_image=2))
    before = _listing(out)
    with pytest.raises(InputError, match=r"b\.tif has 4 bands but the dataset .* has 3"):
        tiling.tile_scene(tiling.TileParams(img2, out, label=lab2, tile_size=32,
                                            tiles_per_image=2))
    assert _listing(out) == before


def test_tile_size_mismatch_refused(tmp_path):
    img, lab, _, _ = _scene(tmp_path)
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32, tiles_per_image=2))
    with pytest.raises(InputError, match="tiles of 32 pixels"):
        tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=64,
                                            tiles_per_image=2))


def test_scene_smaller_than_tile_error(tmp_path):
    img, lab, _, _ = _scene(tmp_path, h=40, w=50)
    with pytest.raises(InputError, match=r"scene\.tif \(50 x 40 pixels\).*64 x 64"):
        tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab, tile_size=64,
                                            method="stride"))


def test_label_and_label_vector_together_refused(tmp_path):
    img, lab, _, _ = _scene(tmp_path)
    with pytest.raises(InputError, match="not both"):
        tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab,
                                            label_vector="x.gpkg", label_field="cls"))


def test_image_only_dataset_has_no_labels(tmp_path):
    img, _, _, _ = _scene(tmp_path)
    out = tmp_path / "ds"
    res = tiling.tile_scene(tiling.TileParams(img, out, tile_size=32, tiles_per_image=4,
                                              val_fraction=0))
    assert res.tile_count == 4 and not (out / "labels").exists()
    meta = _meta(out)
    assert meta["has_labels"] is False and meta["classes"] == {}


def test_cancel_leaves_dataset_unchanged(tmp_path):
    img1, lab1, _, _ = _scene(tmp_path, "a")
    img2, lab2, _, _ = _scene(tmp_path, "b")
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img1, out, label=lab1, tile_size=32, tiles_per_image=3))
    before = {p: open(out / p, "rb").read() for p in _listing(out)}
    calls = []

    def callback(fraction):
        calls.append(fraction)
        return len(calls) <= 4  # cancel at the fifth chip

    with pytest.raises(Cancelled):
        tiling.tile_scene(tiling.TileParams(img2, out, label=lab2, tile_size=32,
                                            method="stride"), progress=Progress(callback))
    assert {p: open(out / p, "rb").read() for p in _listing(out)} == before
    with pytest.raises(Cancelled):  # a new dataset folder vanishes entirely
        tiling.tile_scene(tiling.TileParams(img2, tmp_path / "new", label=lab2, tile_size=32,
                                            method="stride"),
                          progress=Progress(lambda f: False))
    assert not (tmp_path / "new").exists()


def test_not_a_dataset_folder_refused(tmp_path):
    img, lab, _, _ = _scene(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my things")
    with pytest.raises(InputError, match="not empty"):
        tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32))
    assert _listing(out) == ["notes.txt"]


def _chip_windows(out, split):
    """(x, y, size) of each chip of ``split``, from its georeference."""
    windows = []
    for name in _names(out, split):
        ds = gdal.Open(str(out / "images" / f"{name}.tif"))
        gt = ds.GetGeoTransform()
        windows.append((int(round((gt[0] - ORIGIN[0]) / 30)),
                        int(round((ORIGIN[1] - gt[3]) / 30)), ds.RasterXSize))
    return windows


def _val_pixels_in_train(out, shape):
    train = np.zeros(shape, bool)
    for x, y, size in _chip_windows(out, "train.txt"):
        train[y:y + size, x:x + size] = True
    return sum(int(train[y:y + size, x:x + size].sum())
               for x, y, size in _chip_windows(out, "val.txt"))


def test_default_split_keeps_validation_pixels_out_of_training_chips(tmp_path):
    """Overlapping chips (stride half the tile): the block split leaves no validation
    pixel in any training chip; the random split of the same chips does not."""
    img, lab, _, label = _scene(tmp_path, h=160, w=192)
    blocks, rand = tmp_path / "blocks", tmp_path / "random"
    res = tiling.tile_scene(tiling.TileParams(img, blocks, label=lab, tile_size=32,
                                              method="stride", stride=16))
    assert res.val > 0 and res.train > 3 * res.val and res.dropped > 0
    assert _val_pixels_in_train(blocks, label.shape) == 0
    split = _meta(blocks)["split"]
    assert split == {"method": "blocks", "val_pixels_in_train_chips": 0}
    assert _meta(blocks)["sources"][0]["split"]["dropped_chips"] == res.dropped
    tiling.tile_scene(tiling.TileParams(img, rand, label=lab, tile_size=32, method="stride",
                                        stride=16, split="random"))
    leaked = _val_pixels_in_train(rand, label.shape)
    assert leaked > 0 and _meta(rand)["split"] == {
        "method": "random", "val_pixels_in_train_chips": leaked}


def test_random_windows_keep_the_split_clean_and_appending_keeps_it(tmp_path):
    out = tmp_path / "ds"
    for name in ("a", "b"):
        img, lab, _, label = _scene(tmp_path, name, h=160, w=192, seed=ord(name))
        res = tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32,
                                                  tiles_per_image=60, seed=3))
        assert res.train > 0 and res.val > 0
    meta = _meta(out)
    assert [s["split"]["val_pixels_in_train_chips"] for s in meta["sources"]] == [0, 0]
    assert meta["split"] == {"method": "blocks", "val_pixels_in_train_chips": 0}


def test_validation_area_polygons_choose_the_validation_chips(tmp_path):
    img, lab, _, label = _scene(tmp_path, h=96, w=128)
    area = _write_polygons(tmp_path / "val.gpkg", [(1, _box(0.5, 0.5, 63.5, 95.5))],
                           epsg=32616)
    out = tmp_path / "ds"
    res = tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32,
                                              method="stride", stride=16, validation_area=area))
    val = _chip_windows(out, "val.txt")
    train = _chip_windows(out, "train.txt")
    assert res.val == len(val) > 0 and res.train == len(train) > 0
    assert all(x + size <= 64 for x, _, size in val)  # inside the area
    assert all(x >= 64 for x, _, _ in train)  # touching it: dropped
    assert _meta(out)["split"]["method"] == "area"
    assert _val_pixels_in_train(out, label.shape) == 0


def test_split_method_must_be_known(tmp_path):
    img, lab, _, _ = _scene(tmp_path)
    with pytest.raises(InputError, match="Unknown split method 'chess'"):
        tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab, tile_size=32,
                                            split="chess"))
    assert not (tmp_path / "ds").exists()


@pytest.mark.parametrize("dtype,nodata", [("uint16", 0), ("float32", -9999.0)])
def test_a_chip_with_nodata_is_fed_to_training_as_prediction_feeds_it(tmp_path, dtype, nodata):
    """The same pixels reach the network identically in Train Model and Predict Raster:
    standardised with the dataset's mean/std, nodata filled with 0 (the mean); and the
    nodata pixels' labels are ignored by the loss."""
    from semantic_segmentation.engine.data import dataset, raster
    from semantic_segmentation.engine.predict import prediction

    image, label = synthetic_scene(h=64, w=64, bands=3)
    image = image.astype(dtype)
    image[:, :10] = nodata  # a nodata border, on every band
    image[40:44, 20:30, 1] = nodata  # and a hole on one band only
    img = write_raster(tmp_path / "scene.tif", image, nodata=nodata)
    lab = write_raster(tmp_path / "label.tif", label)
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32, method="stride",
                                        split="random", val_fraction=0.0))
    info = dataset.read_info(str(out))
    reader = dataset.ChipReader(info, "train")
    source = prediction._Source(img, [1, 2, 3], raster.Window(0, 0, 64, 64), info.mean,
                                info.std)
    for name, (x, y) in zip(sorted(info.splits["train"]), [(0, 0), (32, 0), (0, 32), (32, 32)]):
        fed, labels = reader(name)
        predicted, valid = source.read(raster.Window(x, y, 32, 32))
        np.testing.assert_array_equal(fed, predicted)
        assert np.all(fed[~valid] == 0.0) and np.all(np.isfinite(fed))
        assert np.all(labels[~valid] == info.label_lut()[255])  # ignored in the loss
    assert not np.isclose(info.mean, nodata).any()  # nodata left out of the statistics


def test_a_scene_too_small_for_blocks_warns_and_splits_at_random(tmp_path):
    img, lab, _, _ = _scene(tmp_path, h=64, w=96)
    lines = []
    progress = Progress(lambda v: True, lines.append)
    res = tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab, tile_size=32,
                                              tiles_per_image=8, seed=1), progress=progress)
    assert res.train > 0 and res.val > 0
    warnings = [m for m in lines if m.level == "warning"]
    assert len(warnings) == 2 and "too small for a spatial validation split" in warnings[0]
    assert "too few to choose the best epoch" in warnings[1]  # 2 of 8 chips
    assert _meta(tmp_path / "ds")["split"]["method"] == "random"


# Like the Landsat scene: an origin that is no multiple of the 30 m pixel size.
LANDSAT = (452475.0, 3408675.0)


@pytest.mark.parametrize("resolution", [None, 30.0])
def test_extent_chips_are_the_plain_chips_pixels(tmp_path, resolution):
    """EXTENT on a layer read at its own resolution selects whole pixels of its
    grid: the chips are the plain run's chips, pixel for pixel, on its grid."""
    image, label = synthetic_scene(h=96, w=128)
    img = write_raster(tmp_path / "scene.tif", image, origin=LANDSAT)
    lab = write_raster(tmp_path / "scene_label.tif", label, origin=LANDSAT)
    plain, part = tmp_path / "plain", tmp_path / "part"
    tiling.tile_scene(tiling.TileParams(img, plain, label=lab, tile_size=32, method="stride",
                                        val_fraction=0.0))
    x0, y0 = LANDSAT
    extent = [x0 + 31.6 * 30, y0 - 95.5 * 30, x0 + 128 * 30, y0 - 32.2 * 30]  # from (31, 32)
    tiling.tile_scene(tiling.TileParams(img, part, label=lab, tile_size=32, method="stride",
                                        val_fraction=0.0, resolution=resolution,
                                        extent=extent))

    def chips(folder):
        found = {}
        for name in _names(folder, "train.txt"):
            chip, ds = read_raster(folder / "images" / f"{name}.tif")
            lchip, _ = read_raster(folder / "labels" / f"{name}.tif")
            gt = ds.GetGeoTransform()
            assert (gt[1], gt[2], gt[4], gt[5]) == (30.0, 0.0, 0.0, -30.0)
            col, row = (gt[0] - x0) / 30, (y0 - gt[3]) / 30
            assert col == int(col) and row == int(row)  # whole pixels of the layer
            found[(int(row), int(col))] = (chip, lchip)
        return found

    got = chips(part)
    assert {(r, c) for r in (32, 64) for c in (31, 63, 95)} <= set(got)
    for (r, c), (chip, lchip) in got.items():
        np.testing.assert_array_equal(chip, image[r:r + 32, c:c + 32])
        np.testing.assert_array_equal(lchip[..., 0], label[r:r + 32, c:c + 32])
    whole = chips(plain)
    for key in set(got) & set(whole):
        np.testing.assert_array_equal(got[key][0], whole[key][0])


# ---------------------------------------------------------------- blocks on the ground
def _tile_shifted_pair(tmp_path, second_split="blocks"):
    """A scene and the same scene shifted 48 pixels east, tiled into one dataset."""
    image, label = synthetic_scene(h=160, w=192)
    out = tmp_path / "ds"
    lines = []
    for name, shift, split in (("a", 0, "blocks"), ("b", 48, second_split)):
        origin = (ORIGIN[0] + shift * 30, ORIGIN[1])
        img = write_raster(tmp_path / f"{name}.tif", image, origin=origin)
        lab = write_raster(tmp_path / f"{name}_label.tif", label, origin=origin)
        tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32, method="stride",
                                            stride=16, split=split),
                          progress=Progress(lambda v: True, lines.append))
    return out, lines


def test_overlapping_scenes_share_blocks_and_the_leak_is_measured_across_them(tmp_path):
    out, lines = _tile_shifted_pair(tmp_path)
    meta = _meta(out)
    assert {n[:2] for n in _names(out, "val.txt")} == {"a_", "b_"}  # both scenes validate
    assert _val_pixels_in_train(out, (160, 192 + 48)) == 0  # measured here, independently
    assert meta["split"] == {"method": "blocks", "val_pixels_in_train_chips": 0}
    assert meta["version"] == 2 and meta["block_lattice"]["origin"] == list(ORIGIN)
    assert [s["split"]["lattice"] for s in meta["sources"]] == [meta["block_lattice"]] * 2
    assert not [m for m in lines if m.level == "warning"]


def test_a_leak_across_scenes_is_recorded_not_summed_away(tmp_path):
    """The shifted copy split at random: none of its own chips ... but its training
    chips cover validation chips of the first scene; dataset.json says how many."""
    out, lines = _tile_shifted_pair(tmp_path, second_split="random")
    leaked = _val_pixels_in_train(out, (160, 192 + 48))
    meta = _meta(out)
    within = sum(s["split"]["val_pixels_in_train_chips"] for s in meta["sources"])
    assert leaked > within and meta["split"]["val_pixels_in_train_chips"] == leaked
    warnings = [m for m in lines if m.level == "warning"]
    assert len(warnings) == 1 and f"{leaked - within} validation pixels lie inside" \
        in warnings[0]


def test_block_size_adapts_so_validation_holds_about_the_fraction(tmp_path):
    """The issue's scene: 627 x 360 pixels, 128-pixel tiles every 32, 15 % validation
    gave 105 training chips and 1 validation chip with blocks of one or two tiles."""
    img, lab, _, label = _scene(tmp_path, h=360, w=627)
    lines = []
    res = tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab, tile_size=128,
                                              method="stride", stride=32, val_fraction=0.15),
                            progress=Progress(lambda v: True, lines.append))
    assert 0.10 <= res.val / (res.train + res.val) <= 0.20 and res.val >= 8
    assert _val_pixels_in_train(tmp_path / "ds", label.shape) == 0
    assert not [m for m in lines if m.level == "warning"]


def test_too_few_validation_chips_are_a_warning_with_the_numbers_and_the_remedy(tmp_path):
    img, lab, _, _ = _scene(tmp_path, h=360, w=627)
    lines = []
    res = tiling.tile_scene(tiling.TileParams(img, tmp_path / "ds", label=lab, tile_size=128,
                                              method="stride", val_fraction=0.15),
                            progress=Progress(lambda v: True, lines.append))
    assert 0 < res.val < 8
    warnings = [m for m in lines if m.level == "warning"]
    assert len(warnings) == 1
    assert (f"holds {res.val} validation chips of {res.train + res.val}" in warnings[0]
            and "fewer than 8" in warnings[0] and "Raise the validation fraction (now 0.15)"
            in warnings[0])


def test_an_all_nodata_scene_is_refused_naming_the_image(tmp_path):
    image = np.zeros((64, 96, 3), np.uint16)
    img = write_raster(tmp_path / "empty.tif", image, nodata=0)
    out = tmp_path / "ds"
    for method in ("stride", "random"):
        with pytest.raises(InputError, match=r"empty\.tif holds only nodata .*nodata 0\.0"):
            tiling.tile_scene(tiling.TileParams(img, out, tile_size=32, method=method))
        assert not out.exists()


def test_a_version_1_dataset_reads_and_takes_a_scene(tmp_path):
    """Datasets written before the lattice (version 1) still read, and appending a
    scene measures the leak over all of them and writes version 2."""
    from semantic_segmentation.engine.data import dataset

    img, lab, _, _ = _scene(tmp_path, "a", h=160, w=192)
    out = tmp_path / "ds"
    tiling.tile_scene(tiling.TileParams(img, out, label=lab, tile_size=32, method="stride"))
    meta = _meta(out)
    meta["version"] = 1
    del meta["block_lattice"]
    for source in meta["sources"]:
        del source["split"]["lattice"]
    (out / "dataset.json").write_text(json.dumps(meta))
    assert dataset.read_info(str(out)).tile_size == 32
    img2, lab2, _, _ = _scene(tmp_path, "b", h=160, w=192, seed=2)
    tiling.tile_scene(tiling.TileParams(img2, out, label=lab2, tile_size=32, method="stride"))
    meta = _meta(out)
    assert meta["version"] == 2 and "block_lattice" in meta
    assert meta["split"]["val_pixels_in_train_chips"] == _val_pixels_in_train(out, (160, 192))
