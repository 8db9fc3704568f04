"""Confusion matrix, scores, Evaluate and its reports (engine/evaluate/metrics.py, engine/evaluate/report.py)."""

import csv
import json

import numpy as np
import pytest
from osgeo import gdal
from sklearn import metrics as skm

from rasters import ORIGIN, write_raster
from semantic_segmentation.engine.data import raster
from semantic_segmentation.engine.evaluate import area, metrics, report
from semantic_segmentation.engine.errors import InputError


def _pair(seed=0, h=45, w=60, classes=5, agree=0.7):
    rng = np.random.default_rng(seed)
    ref = rng.integers(0, classes, size=(h, w)).astype(np.uint8)
    pred = np.where(rng.random((h, w)) < agree, ref,
                    rng.integers(0, classes, size=(h, w))).astype(np.uint8)
    return ref, pred


def _sk_cm(ref, pred, n=256):
    return skm.confusion_matrix(ref.ravel(), pred.ravel(), labels=np.arange(n))


@pytest.mark.parametrize("target_pixels", [7, 200, 1 << 22])
def test_confusion_matrix_equals_sklearn_for_any_block_size(tmp_path, monkeypatch, target_pixels):
    ref, pred = _pair()
    ref[:5, :7] = 255  # ignore value
    ref[40:, 50:] = 9  # reference nodata
    pred[10:14, 20:30] = 200  # prediction nodata
    r = write_raster(tmp_path / "ref.tif", ref, nodata=9)
    p = write_raster(tmp_path / "pred.tif", pred, nodata=200)
    blocks = raster.block_windows
    monkeypatch.setattr(raster, "block_windows", lambda ds, **kw: blocks(ds, target_pixels))
    cm = metrics.confusion_matrix(p, r)
    keep = (ref != 255) & (ref != 9) & (pred != 200)
    np.testing.assert_array_equal(cm, _sk_cm(ref[keep], pred[keep]))
    assert cm.dtype == np.int64 and cm.shape == (256, 256)


def test_confusion_matrix_on_tiled_int16_rasters_equals_sklearn(tmp_path):
    ref, pred = _pair(seed=1, h=70, w=90)
    r = write_raster(tmp_path / "ref.tif", ref.astype(np.int16), nodata=-1)
    p = str(tmp_path / "pred.tif")
    gdal.Translate(p, write_raster(tmp_path / "p0.tif", pred.astype(np.int16)),
                   creationOptions=["TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=32"])
    cm = metrics.confusion_matrix(p, r, n=8)
    np.testing.assert_array_equal(cm, _sk_cm(ref, pred, 8))


def test_value_outside_class_range_raises_naming_file_and_value(tmp_path):
    ref, pred = _pair()
    pred[0, 0] = 12
    r, p = write_raster(tmp_path / "ref.tif", ref), write_raster(tmp_path / "pred.tif", pred)
    with pytest.raises(InputError, match=r"pred\.tif holds the value 12"):
        metrics.confusion_matrix(p, r, n=8)


def test_kappa_f1_iou_equal_sklearn():
    ref, pred = _pair(seed=2, classes=6, agree=0.5)
    pred[pred == 5] = 4  # class 5 only in the reference
    cm = _sk_cm(ref, pred)
    s = metrics.scores(cm)
    y, p = ref.ravel(), pred.ravel()
    assert s["classes"] == [0, 1, 2, 3, 4, 5]
    assert s["kappa"] == pytest.approx(skm.cohen_kappa_score(y, p))
    assert s["overall_accuracy"] == pytest.approx(skm.accuracy_score(y, p))
    np.testing.assert_allclose(s["f1"], skm.f1_score(y, p, average=None, zero_division=0))
    np.testing.assert_allclose(s["iou"], skm.jaccard_score(y, p, average=None, zero_division=0))
    np.testing.assert_allclose(s["precision"],
                               skm.precision_score(y, p, average=None, zero_division=0))
    np.testing.assert_allclose(s["recall"], skm.recall_score(y, p, average=None))
    assert s["mean_iou"] == pytest.approx(np.mean(s["iou"]))
    assert s["pixels"] == y.size


def test_ignore_background_skips_reference_background_and_keeps_misses_as_0():
    ref, pred = _pair(seed=3, classes=4, agree=0.6)
    s = metrics.scores(_sk_cm(ref, pred), ignore_background=True)
    keep = ref != 0  # predictions of 0 stay: they are misses
    y, p = ref[keep], pred[keep]
    labels = [1, 2, 3]
    assert s["classes"] == labels
    assert s["pixels"] == keep.sum()
    assert s["overall_accuracy"] == pytest.approx(skm.accuracy_score(y, p))
    assert s["kappa"] == pytest.approx(skm.cohen_kappa_score(y, p))
    np.testing.assert_allclose(s["iou"], skm.jaccard_score(y, p, labels=labels, average=None))
    np.testing.assert_allclose(s["recall"], skm.recall_score(y, p, labels=labels, average=None))
    np.testing.assert_allclose(s["precision"],
                               skm.precision_score(y, p, labels=labels, average=None))


def test_ignore_background_counts_object_predicted_as_background_as_a_miss(tmp_path):
    r = write_raster(tmp_path / "ref.tif", np.array([[1, 1, 1, 1]], np.uint8))
    p = write_raster(tmp_path / "pred.tif", np.array([[1, 0, 0, 0]], np.uint8))
    res = metrics.evaluate(p, r, ignore_background=True)
    assert res.scores["classes"] == [1]
    assert res.scores["recall"] == [0.25] and res.scores["iou"] == [0.25]
    assert res.scores["overall_accuracy"] == 0.25
    assert res.columns == [0, 1] and res.cm.tolist() == [[3, 1]]
    data = report.to_dict(res)
    assert data["confusion_matrix_columns"] == [0, 1] and data["classes"] == [1]


def test_prediction_on_other_grid_is_aligned_and_compared_on_overlap(tmp_path):
    ref, _ = _pair(seed=4, h=40, w=40)
    big = np.kron(ref, np.ones((2, 2), np.uint8))  # 15 m pixels
    shifted = big[6:, 10:]  # starts 3 rows and 5 columns (30 m) into the reference
    r = write_raster(tmp_path / "ref.tif", ref)
    p = write_raster(tmp_path / "pred.tif", shifted, pixel=15.0,
                     origin=(ORIGIN[0] + 150.0, ORIGIN[1] - 90.0))
    cm = metrics.confusion_matrix(p, r)
    overlap = ref[3:, 5:]
    np.testing.assert_array_equal(cm, _sk_cm(overlap, overlap))


def test_no_overlap_raises_clear_error(tmp_path):
    ref, pred = _pair()
    r = write_raster(tmp_path / "ref.tif", ref)
    p = write_raster(tmp_path / "pred.tif", pred, origin=(ORIGIN[0] + 1e5, ORIGIN[1]))
    with pytest.raises(InputError, match="does not overlap"):
        metrics.evaluate(p, r)


def _folders(tmp_path, n=3):
    pd, rd = tmp_path / "pred", tmp_path / "ref"
    pd.mkdir(), rd.mkdir()
    for i in range(n):
        ref, pred = _pair(seed=10 + i, h=20 + 5 * i, w=30, agree=0.5 + 0.1 * i)
        write_raster(rd / f"img{i}.tif", ref)
        write_raster(pd / f"img{i}.tif", pred)
    write_raster(pd / "extra.tif", pred)
    return pd, rd


def test_folder_mode_pairs_by_name_and_per_image_mean_is_mean_of_images(tmp_path):
    pd, rd = _folders(tmp_path)
    res = metrics.evaluate(pd, rd, mode="per_image")
    assert [n for n, _ in res.per_image] == ["img0", "img1", "img2"]
    assert any("extra.tif" in w for w in res.warnings)
    singles = [metrics.evaluate(pd / f"img{i}.tif", rd / f"img{i}.tif").scores for i in range(3)]
    for key in ("overall_accuracy", "kappa", "mean_iou", "frequency_weighted_iou"):
        assert res.scores[key] == pytest.approx(np.mean([s[key] for s in singles]))
    pooled = metrics.evaluate(pd, rd, mode="global")
    assert pooled.scores["pixels"] == sum(s["pixels"] for s in singles)
    np.testing.assert_array_equal(pooled.cm, res.cm)


def test_folders_without_matching_names_raise_naming_both(tmp_path):
    pd, rd = tmp_path / "p", tmp_path / "r"
    pd.mkdir(), rd.mkdir()
    write_raster(pd / "a.tif", np.zeros((4, 4), np.uint8))
    write_raster(rd / "b.tif", np.zeros((4, 4), np.uint8))
    with pytest.raises(InputError) as err:
        metrics.evaluate(pd, rd)
    assert str(pd) in str(err.value) and str(rd) in str(err.value)


def test_reports_are_written_and_contain_the_figures(tmp_path):
    pd, rd = _folders(tmp_path)
    res = metrics.evaluate(pd, rd, mode="per_image", class_names={0: "background", 1: "water"})
    oa = f"{res.scores['overall_accuracy']:.4f}"
    html_path = report.write_html(res, tmp_path / "r.html", title="My run")
    text = open(html_path, encoding="utf-8").read()
    assert "My run" in text and oa in text and "water" in text and "img2" in text
    assert "<script" not in text and "http" not in text.replace("http-equiv", "")
    rows = list(csv.reader(open(report.write_csv(res, tmp_path / "r.csv"))))
    assert rows[0][:6] == ["value", "name", "precision", "recall", "f1", "iou"]
    assert rows[1][:2] == ["0", "background"]
    assert ["summary", "overall_accuracy"] == rows[len(res.classes) + 1][:2]
    data = json.load(open(report.write_json(res, tmp_path / "r.json")))
    assert data["scores"]["overall_accuracy"] == pytest.approx(res.scores["overall_accuracy"])
    assert data["confusion_matrix"] == res.cm.tolist()
    assert len(data["per_image"]) == 3
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# ---------------------------------------------------------------- refused inputs
@pytest.mark.parametrize("role", ["reference", "prediction"])
def test_multiband_class_raster_is_refused_naming_file_and_bands(tmp_path, role):
    ref, pred = _pair()
    paths = {"reference": write_raster(tmp_path / "ref.tif", ref),
             "prediction": write_raster(tmp_path / "pred.tif", pred)}
    paths[role] = write_raster(tmp_path / f"{role}_rgb.tif", np.stack([ref] * 3, axis=-1))
    with pytest.raises(InputError) as err:
        metrics.evaluate(paths["prediction"], paths["reference"])
    message = str(err.value)
    assert f"{role}_rgb.tif has 3 bands" in message and "Color to Index" in message


@pytest.mark.parametrize("role", ["reference", "prediction"])
def test_non_integer_float_class_raster_is_refused_naming_file_and_value(tmp_path, role):
    ref, pred = _pair()
    arrays = {"reference": ref.astype(np.float32), "prediction": pred.astype(np.float32)}
    arrays[role][3, 4] = 1.7
    r = write_raster(tmp_path / "ref.tif", arrays["reference"])
    p = write_raster(tmp_path / "pred.tif", arrays["prediction"])
    name = {"reference": "ref.tif", "prediction": "pred.tif"}[role]
    with pytest.raises(InputError, match=rf"{name} holds the value 1\.7: class values must "
                                         r"be whole numbers"):
        metrics.evaluate(p, r)


def test_integer_valued_float_class_rasters_are_accepted(tmp_path):
    ref, pred = _pair()
    r = write_raster(tmp_path / "ref.tif", ref.astype(np.float32))
    p = write_raster(tmp_path / "pred.tif", pred.astype(np.float64))
    res = metrics.evaluate(p, r)
    np.testing.assert_array_equal(res.cm, _sk_cm(ref, pred)[:5, :5])


# ---------------------------------------------------------------- map accuracy and area
# Olofsson et al. (2014), Section 5: the error matrix of sample counts (Table 8;
# rows: map class, columns: reference class) and mapped areas in 30 m pixels.
OLOFSSON_COUNTS = [[66, 0, 5, 4],      # deforestation (map)
                   [0, 55, 8, 12],     # forest gain
                   [1, 0, 153, 11],    # stable forest
                   [2, 1, 9, 313]]     # stable non-forest
OLOFSSON_MAPPED = [200000, 150000, 3200000, 6450000]
HECTARE_PER_PIXEL = 0.09


def test_stratified_estimates_reproduce_olofsson_2014_worked_example():
    e = area.stratified_estimates(OLOFSSON_COUNTS, OLOFSSON_MAPPED,
                                  pixel_area=HECTARE_PER_PIXEL, z=1.96)
    # Table 9: estimated area proportions (printed to 4 decimals)
    np.testing.assert_allclose(e["proportions"], [[0.0176, 0, 0.0013, 0.0011],
                                                  [0, 0.0110, 0.0016, 0.0024],
                                                  [0.0019, 0, 0.2967, 0.0213],
                                                  [0.0040, 0.0020, 0.0179, 0.6212]],
                               atol=0.00005)
    # Section 5: areas in ha, +- the 95% CI half-width (printed to the hectare)
    np.testing.assert_allclose(e["adjusted_area"], [21158, 11686, 285770, 581386], atol=0.5)
    np.testing.assert_allclose(e["adjusted_area_ci95"], [6158, 3756, 15510, 16282], atol=0.5)
    np.testing.assert_allclose(e["mapped_area"], [18000, 13500, 288000, 580500])
    # accuracies (printed to 2 decimals)
    np.testing.assert_allclose(e["users_accuracy"], [0.88, 0.73, 0.93, 0.96], atol=0.005)
    np.testing.assert_allclose(e["users_accuracy_ci95"], [0.07, 0.10, 0.04, 0.02], atol=0.005)
    np.testing.assert_allclose(e["producers_accuracy"], [0.75, 0.85, 0.93, 0.96], atol=0.005)
    # The paper prints 0.21, 0.23, 0.03, 0.01. Its eq. 7 gives 0.2544 for forest
    # gain and 0.0184 for stable non-forest (checked by hand, and by the delta
    # method for a stratified ratio estimator): those two printed figures do not
    # follow from the paper's own equation, so the equation's values are kept.
    np.testing.assert_allclose(e["producers_accuracy_ci95"], [0.21, 0.2544, 0.03, 0.0184],
                               atol=0.005)
    assert e["overall_accuracy"] == pytest.approx(0.95, abs=0.005)
    assert e["overall_accuracy_ci95"] == pytest.approx(0.02, abs=0.005)
    assert e["total_area"] == pytest.approx(900000)
    assert e["unsampled"] == []


def test_stratified_estimates_of_a_census_equal_the_true_areas():
    counts = np.array([[50, 10], [5, 35]])  # every pixel sampled
    e = area.stratified_estimates(counts, counts.sum(axis=1), pixel_area=4.0)
    np.testing.assert_allclose(e["adjusted_area"], 4.0 * counts.sum(axis=0))
    assert e["overall_accuracy"] == pytest.approx(0.85)
    np.testing.assert_allclose(e["producers_accuracy"], [50 / 55, 35 / 45])


def _points(path, points, field="cls", epsg=32616, geometry="point"):
    """A GeoPackage of points [(x, y, class)] or of square polygons [(x0, y0, x1, y1, class)]."""
    from osgeo import ogr, osr

    from rasters import srs_wkt

    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromWkt(srs_wkt(epsg))
    kind = ogr.wkbPoint if geometry == "point" else ogr.wkbPolygon
    layer = ds.CreateLayer("ref", srs, kind)
    layer.CreateField(ogr.FieldDefn(field, ogr.OFTInteger))
    for item in points:
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField(field, int(item[-1]))
        if geometry == "point":
            wkt = f"POINT ({item[0]} {item[1]})"
        else:
            x0, y0, x1, y1 = item[:4]
            wkt = f"POLYGON (({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(f)
    ds = None
    return str(path)


def _centre(row, col):
    return ORIGIN[0] + 30 * col + 15, ORIGIN[1] - 30 * row - 15


def test_point_reference_samples_the_prediction_and_estimates_areas(tmp_path):
    pred = np.zeros((20, 30), np.uint8)
    pred[:, 20:] = 1            # 400 pixels of 0, 200 of 1
    pred[0, 0] = 9              # nodata: not mapped
    p = write_raster(tmp_path / "pred.tif", pred, nodata=9)
    # map 0: four points, one of them truly 1; map 1: three points, all 1;
    # one point on nodata and one off the raster are skipped.
    pts = [(*_centre(5, 5), 0), (*_centre(6, 6), 0), (*_centre(7, 7), 0), (*_centre(8, 8), 1),
           (*_centre(2, 25), 1), (*_centre(3, 26), 1), (*_centre(4, 27), 1),
           (*_centre(0, 0), 1), (ORIGIN[0] - 100, ORIGIN[1], 0)]
    v = _points(tmp_path / "ref.gpkg", pts)
    res = metrics.evaluate(p, reference_vector=v, reference_field="cls")
    assert res.cm.tolist() == [[3, 0], [1, 3]]  # rows: reference
    assert any("1 reference point(s)" in w and "1 on its nodata" in w for w in res.warnings)
    mapped = [399, 200]
    expected = area.stratified_estimates([[3, 1], [0, 3]], mapped, pixel_area=900.0)
    assert res.area["adjusted_area"] == pytest.approx(expected["adjusted_area"])
    # area of class 1: W_0 * 1/4 + W_1 * 1 of the 599 mapped pixels
    assert res.area["adjusted_area"][1] == pytest.approx((399 * 0.25 + 200) * 900.0)
    data = report.to_dict(res)
    row = data["area_estimates"][1]
    assert set(row) >= {"value", "name", "mapped_area", "adjusted_area", "adjusted_area_ci95",
                        "users_accuracy", "users_accuracy_ci95", "producers_accuracy",
                        "producers_accuracy_ci95"}
    assert row["mapped_area"] == 200 * 900.0
    assert data["overall_accuracy_ci95"] is not None


def test_polygon_reference_is_burnt_on_the_prediction_grid(tmp_path):
    ref, pred = _pair(seed=5, h=20, w=30, classes=3)
    p = write_raster(tmp_path / "pred.tif", pred)
    # one polygon over rows 2..9, columns 4..13, class 2
    x0, y1 = ORIGIN[0] + 4 * 30, ORIGIN[1] - 2 * 30
    v = _points(tmp_path / "ref.gpkg", [(x0, y1 - 8 * 30, x0 + 10 * 30, y1, 2)],
                geometry="polygon")
    res = metrics.evaluate(p, reference_vector=v, reference_field="cls")
    window = pred[2:10, 4:14]
    assert res.scores["pixels"] == 80
    assert res.scores["reference_pixels"][res.classes.index(2)] == 80
    assert res.scores["recall"][res.classes.index(2)] == pytest.approx((window == 2).mean())
    assert res.area is not None


def test_reports_carry_the_area_estimates(tmp_path):
    pred = np.zeros((10, 10), np.uint8)
    pred[:, 5:] = 1
    p = write_raster(tmp_path / "pred.tif", pred)
    pts = [(*_centre(r, c), int(c >= 5) if r % 3 else 1 - int(c >= 5))
           for r in range(0, 10, 2) for c in (1, 3, 6, 8)]
    res = metrics.evaluate(p, reference_vector=_points(tmp_path / "r.gpkg", pts),
                           reference_field="cls", class_names={0: "land", 1: "water"})
    text = open(report.write_html(res, tmp_path / "r.html"), encoding="utf-8").read()
    assert "Map accuracy and area estimates" in text and "&plusmn;" in text
    rows = list(csv.reader(open(report.write_csv(res, tmp_path / "r.csv"))))
    area_rows = [r for r in rows if r[0] == "area_estimate"]
    assert area_rows[0] == ["area_estimate", "value", "name", *report.AREA_KEYS]
    assert [r[2] for r in area_rows[1:]] == ["land", "water"]
    assert ["summary", "overall_accuracy_ci95"] in [r[:2] for r in rows]
    data = json.load(open(report.write_json(res, tmp_path / "r.json")))
    assert [r["name"] for r in data["area_estimates"]] == ["land", "water"]


# ---------------------------------------------------------------- nodata that is a class
def _object_half_missed():
    """50 object pixels (class 1) in a background of 0; 30 of them predicted 0."""
    ref = np.zeros((10, 10), np.uint8)
    ref[2:7, :] = 1     # rows 2..6, all ten columns: 50 pixels
    pred = ref.copy()
    pred[2:5, :] = 0    # 30 of them predicted as background
    return ref, pred


@pytest.mark.parametrize("nodata", [0, None])
def test_ignore_background_counts_predicted_0_even_when_0_is_the_prediction_nodata(
        tmp_path, nodata):
    ref, pred = _object_half_missed()
    r = write_raster(tmp_path / "ref.tif", ref)
    p = write_raster(tmp_path / "pred.tif", pred, nodata=nodata)
    res = metrics.evaluate(p, r, ignore_background=True)
    assert res.scores["classes"] == [1]
    assert res.scores["recall"] == [pytest.approx(0.4)]
    assert res.cm.tolist() == [[30, 20]] and res.columns == [0, 1]


def test_ignore_background_counts_points_predicted_0_when_0_is_the_nodata(tmp_path):
    ref, pred = _object_half_missed()
    p = write_raster(tmp_path / "pred.tif", pred, nodata=0)
    pts = [(*_centre(r, c), 1) for r in range(2, 7) for c in range(10)]
    res = metrics.evaluate(p, reference_vector=_points(tmp_path / "r.gpkg", pts),
                           reference_field="cls", ignore_background=True)
    assert res.scores["recall"] == [pytest.approx(0.4)]
    assert not any("on its nodata" in w for w in res.warnings)


def test_nodata_0_without_ignore_background_is_skipped_with_a_warning(tmp_path):
    ref, pred = _object_half_missed()
    r = write_raster(tmp_path / "ref.tif", ref)
    p = write_raster(tmp_path / "pred.tif", pred, nodata=0)
    lines = []
    from semantic_segmentation.engine.progress import Progress

    res = metrics.evaluate(p, r, progress=Progress(log=lines.append))
    assert res.scores["pixels"] == 20  # every pixel predicted 0 is nodata
    assert any("nodata value 0" in m and p in m and m.level == "warning" for m in lines)


@pytest.mark.parametrize("sample", ["raster", "int16-raster", "points", "polygons"])
def test_prediction_nodata_that_is_a_reference_class_is_refused(tmp_path, sample):
    ref = np.zeros((10, 10), np.uint8)
    ref[:, 5:] = 2
    pred = ref.copy()
    pred[:, 8:] = 3
    if sample == "int16-raster":  # the general (not Byte-fused) counting path
        ref, pred = ref.astype(np.int16), pred.astype(np.int16)
    p = write_raster(tmp_path / "pred.tif", pred, nodata=2)
    if sample.endswith("raster"):
        kwargs = dict(reference=write_raster(tmp_path / "ref.tif", ref))
    elif sample == "points":
        pts = [(*_centre(r, c), ref[r, c]) for r in range(0, 10, 3) for c in range(10)]
        kwargs = dict(reference_vector=_points(tmp_path / "r.gpkg", pts),
                      reference_field="cls")
    else:
        x0, y1 = ORIGIN[0] + 5 * 30, ORIGIN[1]
        kwargs = dict(reference_vector=_points(tmp_path / "r.gpkg",
                                               [(x0, y1 - 300, x0 + 150, y1, 2)],
                                               geometry="polygon"),
                      reference_field="cls")
    with pytest.raises(InputError, match="nodata value 2") as err:
        metrics.evaluate(p, **kwargs)
    assert p in str(err.value) and err.value.values["value"] == 2


def test_prediction_nodata_that_no_reference_pixel_holds_is_fine(tmp_path):
    ref = np.zeros((10, 10), np.uint8)
    ref[:, 5:] = 1
    pred = ref.copy()
    pred[0, 0] = 7
    r = write_raster(tmp_path / "ref.tif", ref)
    p = write_raster(tmp_path / "pred.tif", pred, nodata=7)
    assert metrics.evaluate(p, r).scores["pixels"] == 99


# ---------------------------------------------------------------- one side without a CRS
@pytest.mark.parametrize("missing", ["prediction", "reference"])
def test_one_side_without_a_crs_is_named_in_a_warning(tmp_path, missing):
    from semantic_segmentation.engine.progress import Progress

    ref, pred = _pair(seed=7, h=10, w=12)
    r = write_raster(tmp_path / "ref.tif", ref, epsg=None if missing == "reference" else 32616)
    p = write_raster(tmp_path / "pred.tif", pred,
                     epsg=None if missing == "prediction" else 32616)
    lines = []
    metrics.evaluate(p, r, progress=Progress(log=lines.append))
    warned = [m for m in lines if m.level == "warning" and "no CRS" in m]
    assert len(warned) == 1
    assert (p if missing == "prediction" else r) in warned[0]
    assert warned[0].startswith(f"The {missing} ")
    lines.clear()
    both = write_raster(tmp_path / "both.tif", pred)
    metrics.evaluate(both, write_raster(tmp_path / "ref2.tif", ref),
                     progress=Progress(log=lines.append))
    assert not [m for m in lines if "no CRS" in m]


def test_prediction_without_a_crs_against_a_georeferenced_sample_warns(tmp_path):
    from semantic_segmentation.engine.progress import Progress

    pred = np.zeros((10, 10), np.uint8)
    p = write_raster(tmp_path / "pred.tif", pred, epsg=None)
    v = _points(tmp_path / "r.gpkg", [(*_centre(1, 1), 0), (*_centre(2, 2), 0)])
    lines = []
    metrics.evaluate(p, reference_vector=v, reference_field="cls",
                     progress=Progress(log=lines.append))
    assert any("no CRS" in m and p in m and v in m for m in lines)


# ---------------------------------------------------------------- polygons: one unit each
def test_cluster_estimates_reproduce_a_worked_example_by_hand():
    """Five polygons over two map classes (W = 0.6, 0.4 of 1,000 pixels); each
    polygon is one sampling unit (cluster), not its pixels."""
    units = np.zeros((5, 2, 2), int)  # polygon, map class, reference class
    units[0, 0] = [8, 2]              # map 0: 10 pixels
    units[1, 0] = [4, 0]              # map 0: 4 pixels
    units[2, 0] = [5, 1]              # map 0: 6 pixels ...
    units[2, 1] = [0, 4]              # ... and map 1: 4 pixels (one polygon, two strata)
    units[3, 1] = [2, 6]              # map 1: 8 pixels
    units[4, 1] = [0, 3]              # map 1: 3 pixels
    e = area.cluster_estimates(units, [600, 400])
    # Stratum 0: 3 polygons, m = 10, 4, 6 (mean 20/3); R_00 = 17/20.
    # sum (c_u00 - R m_u)^2 = 0.5^2 + 0.6^2 + 0.1^2 = 0.62; V = 0.62 / (3 * 2 * (20/3)^2)
    v0 = 0.62 / (3 * 2 * (20 / 3) ** 2)
    # Stratum 1: 3 polygons, m = 4, 8, 3 (mean 5); R_11 = 13/15.
    # residuals 4 - 4*13/15 = 8/15, 6 - 8*13/15 = -14/15, 3 - 3*13/15 = 6/15
    v1 = (8 ** 2 + 14 ** 2 + 6 ** 2) / 15 ** 2 / (3 * 2 * 5 ** 2)
    assert v0 == pytest.approx(0.002325) and v1 == pytest.approx(0.0087704, rel=1e-4)
    z = area.Z95
    assert e["samples"] == [3, 3]
    assert e["users_accuracy"] == pytest.approx([0.85, 13 / 15])
    assert e["users_accuracy_ci95"] == pytest.approx([z * v0 ** 0.5, z * v1 ** 0.5])
    assert e["overall_accuracy"] == pytest.approx(0.6 * 0.85 + 0.4 * 13 / 15)
    se = (0.6 ** 2 * v0 + 0.4 ** 2 * v1) ** 0.5  # eq. 5 with the cluster variances
    assert e["overall_accuracy_ci95"] == pytest.approx(z * se)
    assert e["adjusted_area"] == pytest.approx([1000 * (0.6 * 0.85 + 0.4 * 2 / 15),
                                                1000 * (0.6 * 0.15 + 0.4 * 13 / 15)])
    # eq. 10: with two classes both areas share SE = sqrt(W0^2 V0 + W1^2 V1)
    assert e["adjusted_area_ci95"] == pytest.approx([1000 * z * se] * 2)
    # producer's accuracy of class 1 (eq. 7 = the delta method on p_11 / p_.1)
    p11, p01 = 0.4 * 13 / 15, 0.6 * 0.15
    pa = p11 / (p11 + p01)
    var_pa = ((1 - pa) ** 2 * 0.4 ** 2 * v1 + pa ** 2 * 0.6 ** 2 * v0) / (p11 + p01) ** 2
    assert e["producers_accuracy"][1] == pytest.approx(pa)
    assert e["producers_accuracy_ci95"][1] == pytest.approx(z * var_pa ** 0.5)
    # counting each pixel as a sample (the old way) claims other, unwarranted intervals
    pixels = area.stratified_estimates([[17, 3], [2, 13]], [600, 400])
    assert pixels["samples"] == [20, 15]
    assert pixels["overall_accuracy"] == pytest.approx(e["overall_accuracy"])


def test_cluster_estimates_of_one_pixel_units_are_the_point_estimates():
    rows = [(u, i, j, 1) for u, (i, j) in enumerate(
        (i, j) for i in range(4) for j in range(4) for _ in range(OLOFSSON_COUNTS[i][j]))]
    e = area.cluster_estimates(rows, OLOFSSON_MAPPED, pixel_area=HECTARE_PER_PIXEL)
    expected = area.stratified_estimates(OLOFSSON_COUNTS, OLOFSSON_MAPPED,
                                         pixel_area=HECTARE_PER_PIXEL)
    for key in ("adjusted_area", "adjusted_area_ci95", "users_accuracy", "users_accuracy_ci95",
                "producers_accuracy", "producers_accuracy_ci95", "samples"):
        assert e[key] == pytest.approx(expected[key]), key
    assert e["overall_accuracy_ci95"] == pytest.approx(expected["overall_accuracy_ci95"])


def _square(row0, col0, row1, col1, value):
    """A polygon over rows row0..row1 and columns col0..col1 of the 30 m test grid."""
    return (ORIGIN[0] + 30 * col0, ORIGIN[1] - 30 * (row1 + 1),
            ORIGIN[0] + 30 * (col1 + 1), ORIGIN[1] - 30 * row0, value)


def test_polygon_reference_estimates_areas_with_each_polygon_one_unit(tmp_path):
    pred = np.zeros((20, 30), np.uint8)
    pred[:, 15:] = 1                                 # 300 pixels of each class
    p = write_raster(tmp_path / "pred.tif", pred)
    polygons = [_square(2, 2, 5, 6, 0),               # 20 px, all map 0
                _square(10, 12, 13, 18, 1),           # 12 px map 0, 16 px map 1
                _square(15, 20, 18, 24, 1),           # 20 px map 1
                _square(2, 22, 4, 25, 0)]             # 12 px map 1
    v = _points(tmp_path / "ref.gpkg", polygons, geometry="polygon")
    res = metrics.evaluate(p, reference_vector=v, reference_field="cls")
    assert res.scores["pixels"] == 80                 # the scores still count pixels
    units = np.zeros((4, 2, 2), int)
    units[0, 0, 0] = 20
    units[1, 0, 1], units[1, 1, 1] = 12, 16
    units[2, 1, 1] = 20
    units[3, 1, 0] = 12
    expected = area.cluster_estimates(units, [300, 300], pixel_area=900.0)
    assert res.area["samples"] == [2, 3]              # polygons, not their 80 pixels
    assert res.area["sampling_unit"] == "polygon"
    for key in ("adjusted_area", "adjusted_area_ci95", "users_accuracy", "users_accuracy_ci95",
                "producers_accuracy"):
        np.testing.assert_allclose(res.area[key], expected[key], err_msg=key)
    assert res.area["overall_accuracy_ci95"] == pytest.approx(expected["overall_accuracy_ci95"])
    assert report.to_dict(res)["sampling_unit"] == "polygon"
    html_text = open(report.write_html(res, tmp_path / "r.html"), encoding="utf-8").read()
    assert "Each reference polygon is one sample" in html_text
