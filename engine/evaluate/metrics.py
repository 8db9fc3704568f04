"""Confusion matrices and segmentation scores (the Evaluate algorithm).

Conventions (those of scikit-learn): rows of a confusion matrix are the
reference (truth), columns the prediction; ``cm[i, j]`` counts pixels of
reference class ``i`` predicted as ``j``.

Skipped pixels: reference pixels equal to ``ignore_value`` or to the
reference's nodata, and prediction pixels equal to the prediction's nodata.
The prediction is aligned to the reference grid (nearest neighbour) and
compared on the overlap only: reference pixels it does not cover read as its
nodata. A prediction with no nodata value uses ``ignore_value`` as its fill,
so prediction pixels equal to ``ignore_value`` are skipped too.

Nodata that is also a class: a prediction whose nodata is a class the
reference holds is refused (its pixels of that class cannot be told from
nodata), except 0, the background: with ``background`` (Ignore background)
a prediction's 0 counts as predicted background even when 0 is its nodata,
so objects predicted as 0 stay misses (and where the prediction is warped
onto another grid, the reference pixels it does not cover count as
background too); without it, pixels predicted 0 are skipped and a warning
says so. A prediction or reference without a CRS compared with one that has
one gets a warning: the two are compared as if in the same CRS.
"""

import math
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from osgeo import gdal, ogr, osr

from . import area as area_mod
from .. import progress as progress_mod
from .. import options
from ..data import raster
from ..errors import InputError

BLOCK_PIXELS = 1 << 19  # pixels per window read (measured: 2^18..2^20 alike, 2^22 slower)
RASTER_EXTENSIONS = (".tif", ".tiff", ".png", ".jpg", ".jpeg", ".img", ".vrt")


# ---------------------------------------------------------------- confusion matrix
def confusion_matrix(prediction, reference, ignore_value=255, progress=None, n=256,
                     background=False):
    """The ``n`` x ``n`` int64 confusion matrix of two class rasters (paths).

    Streams by blocks of the reference. Values outside ``0..n-1`` (other than
    skipped ones) raise InputError naming the file and the value; so does a
    prediction nodata value that the reference holds as a class (0 aside).
    ``background``: count the prediction's 0 as a class even when it is its
    nodata (Ignore background; see the module's docstring).
    """
    progress = progress_mod.ensure(progress)
    n = int(n)
    ref_ds = raster.open_raster(reference, role="reference")
    pred_src = raster.open_raster(prediction, role="prediction")
    raster.check_class_raster(ref_ds, reference, role="reference")
    raster.check_class_raster(pred_src, prediction, role="prediction")
    _warn_one_sided_crs(bool(pred_src.GetProjection()), bool(ref_ds.GetProjection()),
                        prediction, reference, progress)
    pred_nodata = pred_src.GetRasterBand(1).GetNoDataValue()
    fill = pred_nodata
    if fill is None:
        fill = ignore_value if ignore_value is not None else n  # n: never a class
    pred_ds = raster.warp_to_grid(pred_src, ref_ds, role="prediction", nodata=fill)
    ref_band, pred_band = ref_ds.GetRasterBand(1), pred_ds.GetRasterBand(1)
    zero_counts = bool(background) and pred_nodata == 0
    skip_ref = [v for v in (ignore_value, ref_band.GetNoDataValue()) if v is not None]
    skip_pred = [v for v in (pred_band.GetNoDataValue(), fill)
                 if v is not None and not (zero_counts and v == 0)]
    # Fast path: two Byte rasters, n = 256 -> every value is a valid bin, and
    # skipped values are whole rows / columns, zeroed at the end (no masks).
    fast = (n == 256 and ref_band.DataType == raster.gdal.GDT_Byte
            and pred_band.DataType == raster.gdal.GDT_Byte)
    counts = np.zeros(n * n, np.int64)
    windows = raster.block_windows(ref_ds, target_pixels=BLOCK_PIXELS)
    if fast:
        read = _fused_reader(ref_band, pred_band)
    else:
        def read(w):
            return raster.read_band_window(ref_band, w), raster.read_band_window(pred_band, w)
    for i, block in enumerate(_prefetched(read, windows)):
        if fast:  # block: uint16 keys ref * 256 + pred
            counts += np.bincount(block.ravel(), minlength=65536)
        else:
            counts += _block_counts(*block, skip_ref, skip_pred, n, reference, prediction)
        progress((i + 1) / len(windows))
    cm = counts.reshape(n, n)
    for v in skip_ref:
        if _is_bin(v, n):
            cm[int(v), :] = 0
    # Rows still hold the pixels predicted as the prediction's nodata: does
    # the reference hold that value as a class?
    if _is_bin(pred_nodata, n) and cm[int(pred_nodata)].any():
        value = int(pred_nodata)
        if value != 0:
            raise InputError("The prediction {path} has the nodata value {value}, which is "
                             "also a class of the reference {reference}: its pixels of "
                             "class {value} cannot be told from nodata. Give the prediction "
                             "another nodata value, or none.",
                             path=prediction, value=value, reference=reference)
        if not zero_counts:
            progress.warning("The prediction {path} has the nodata value 0, which the "
                             "reference {reference} also holds: pixels predicted as 0 are "
                             "left out of the scores. Turn on Ignore background to count "
                             "them as background.",
                             path=prediction, reference=reference)
    for v in skip_pred:
        if _is_bin(v, n):
            cm[:, int(v)] = 0
    return cm


def _warn_one_sided_crs(pred_crs, ref_crs, prediction, reference, progress):
    """Warn when exactly one of the two sides has a CRS."""
    if pred_crs and not ref_crs:
        progress.warning("The reference {reference} has no CRS but the prediction "
                         "{prediction} has one: they are compared as if both were in the "
                         "prediction's CRS.",
                         reference=reference, prediction=prediction)
    elif ref_crs and not pred_crs:
        progress.warning("The prediction {prediction} has no CRS but the reference "
                         "{reference} has one: they are compared as if both were in the "
                         "reference's CRS.",
                         prediction=prediction, reference=reference)


def _fused_reader(ref_band, pred_band):
    """Read a window of two Byte bands straight into one uint16 array holding
    ``ref * 256 + pred`` (GDAL writes each band into alternate bytes)."""
    hi, lo = (1, 0) if sys.byteorder == "little" else (0, 1)

    def read(w):
        buf = np.empty((w.height, w.width, 2), np.uint8)
        for band, byte in ((ref_band, hi), (pred_band, lo)):
            if raster.gdal_call(band.ReadAsArray, w.x, w.y, w.width, w.height,
                                buf_obj=buf[:, :, byte]) is None:
                raise InputError("GDAL could not read a block of {source}: {gdal_error}.",
                                 source=band.GetDataset().GetDescription(),
                                 gdal_error=raster.last_error("read error"))
        return buf.view(np.uint16)[..., 0]

    return read


def _prefetched(read, windows):
    """``read(w)`` for each window, the next one read in a thread (GDAL
    releases the GIL) while the caller counts the current one."""
    if len(windows) < 2:
        for w in windows:
            yield read(w)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(read, windows[0])
        for w in windows[1:]:
            block = pending.result()
            pending = pool.submit(read, w)
            yield block
        yield pending.result()


def _is_bin(v, n):
    return v is not None and float(v).is_integer() and 0 <= v < n


def _block_counts(ref, pred, skip_ref, skip_pred, n, ref_path, pred_path):
    """Counts of ``ref * n + pred`` over the block. Skipped prediction values
    that are classes (0..n-1) are counted and their column zeroed by the
    caller, as in the fast path, so the rows show what the reference holds
    under the prediction's nodata."""
    valid = np.ones(ref.shape, bool)
    skip_pred = [v for v in skip_pred if not _is_bin(v, n)]
    for arr, skips in ((ref, skip_ref), (pred, skip_pred)):
        for v in skips:
            valid &= arr != v
        if arr.dtype.kind == "f":
            valid &= np.isfinite(arr)
    if not valid.all():
        ref, pred = ref[valid], pred[valid]
    ref, pred = ref.ravel(), pred.ravel()
    for arr, path in ((ref, ref_path), (pred, pred_path)):
        raster.check_class_values(arr, path, n)
    key = ref.astype(np.int64) * n + pred.astype(np.int64)
    return np.bincount(key, minlength=n * n)


# ---------------------------------------------------------------- vector reference
_POINTS = (ogr.wkbPoint, ogr.wkbMultiPoint)
_POLYGONS = (ogr.wkbPolygon, ogr.wkbMultiPolygon, ogr.wkbCurvePolygon, ogr.wkbMultiSurface)


def vector_confusion_matrix(prediction, vector, field, ignore_value=255, progress=None,
                            n=256, background=False, units=None):
    """(``n`` x ``n`` confusion matrix, warnings) of a class raster against a
    reference vector whose integer ``field`` holds the reference class.

    Points: one sample each, the prediction's class at the pixel holding the
    point (points off the raster or on its nodata are skipped and counted in
    a warning). Polygons: burnt onto the prediction's grid (a pixel belongs to
    the polygon holding its centre), each covered pixel one sample. Reference
    classes equal to ``ignore_value`` are skipped. ``background`` and a
    prediction nodata that is a reference class: as :func:`confusion_matrix`.

    ``units``: a list that, for polygons, receives one (k, 4) int64 array of
    rows ``(polygon, map class, reference class, pixels)``: the sampling
    units of the area estimates (:func:`.area.cluster_estimates`).
    """
    from ..data import tiling  # the owner of the label-vector checks and rasterizing

    progress = progress_mod.ensure(progress)
    pred_ds = raster.open_raster(prediction, role="prediction")
    raster.check_class_raster(pred_ds, prediction, role="prediction")
    src, layer, index, _subset = tiling.open_class_layer(vector, field)
    _warn_one_sided_crs(bool(pred_ds.GetProjection()), layer.GetSpatialRef() is not None,
                        prediction, vector, progress)
    kind = ogr.GT_Flatten(layer.GetGeomType())
    if kind not in _POINTS + _POLYGONS:  # mixed or unknown: the first geometry decides
        first = next((f.GetGeometryRef() for f in layer if f.GetGeometryRef() is not None),
                     None)
        layer.ResetReading()
        kind = ogr.GT_Flatten(first.GetGeometryType()) if first is not None else kind
    if kind in _POINTS:
        return _point_samples(pred_ds, prediction, layer, index, vector, ignore_value,
                              progress, n, background)
    if kind not in _POLYGONS:
        raise InputError("The reference vector {vector} holds {geometry} geometries: give "
                         "points (a sample) or polygons.",
                         vector=vector, geometry=ogr.GeometryTypeToName(kind))
    tmpdir = tempfile.mkdtemp(prefix="semseg-evaluate-")
    try:
        burnt = tiling.rasterize_classes(vector, field, pred_ds, tmpdir)
        path = burnt.GetDescription()
        burnt = None
        cm = confusion_matrix(prediction, path, ignore_value=ignore_value,
                              progress=progress.sub(0.0, 0.7), n=n, background=background)
        if units is not None:
            units.append(_polygon_units(pred_ds, layer, index, ignore_value, n, background,
                                        vector, progress.sub(0.7, 1.0)))
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return cm, []


def _polygon_units(pred_ds, layer, index, ignore_value, n, background, vector, progress):
    """Rows ``(polygon, map class, reference class, pixels)``: each polygon's
    pixels on the prediction's grid by map class. The polygons are burnt by
    number as tiling.rasterize_classes burns their classes (pixel centres,
    later over earlier, reprojected by gdal.Rasterize)."""
    driver = gdal.GetDriverByName("Memory") or gdal.GetDriverByName("MEM")
    store = driver.Create("units", 0, 0, 0, gdal.GDT_Unknown)
    out = store.CreateLayer("units", layer.GetSpatialRef(), ogr.wkbUnknown)
    out.CreateField(ogr.FieldDefn("unit", ogr.OFTInteger))
    layer.SetIgnoredFields([])
    layer.ResetReading()
    classes = [-1]  # unit 0: no polygon
    for feature in layer:
        geometry = feature.GetGeometryRef()
        if geometry is None:
            continue
        value = feature.GetField(index)
        unit = ogr.Feature(out.GetLayerDefn())
        unit.SetField("unit", len(classes))
        unit.SetGeometry(geometry)
        out.CreateFeature(unit)
        classes.append(-1 if value is None or int(value) == ignore_value else int(value))
    ids = gdal.GetDriverByName("MEM").Create("", pred_ds.RasterXSize, pred_ds.RasterYSize, 1,
                                             gdal.GDT_Int32)
    ids.SetGeoTransform(pred_ds.GetGeoTransform())
    ids.SetProjection(pred_ds.GetProjection())
    if not raster.gdal_call(gdal.Rasterize, ids, store, layers=["units"], attribute="unit"):
        raise InputError("Cannot rasterize the label vector {vector}: {gdal_error}.",
                         vector=vector, gdal_error=raster.last_error("rasterize failed"))
    band, id_band = pred_ds.GetRasterBand(1), ids.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    if background and nodata == 0:
        nodata = None
    keys, counts = [], []
    windows = raster.block_windows(pred_ds, target_pixels=BLOCK_PIXELS)
    for k, w in enumerate(windows):
        unit = raster.read_band_window(id_band, w).astype(np.int64)
        pred = raster.read_band_window(band, w)
        valid = unit > 0
        if nodata is not None:
            valid &= pred != nodata
        if pred.dtype.kind == "f":
            valid &= np.isfinite(pred)
        valid &= (pred >= 0) & (pred < n)
        key, count = np.unique(unit[valid] * n + pred[valid].astype(np.int64),
                               return_counts=True)
        keys.append(key)
        counts.append(count)
        progress((k + 1) / len(windows))
    key, where = np.unique(np.concatenate(keys), return_inverse=True)
    pixels = np.bincount(where, weights=np.concatenate(counts)).astype(np.int64)
    unit, mapped = key // n, key % n
    reference = np.asarray(classes, np.int64)[unit]
    keep = reference >= 0
    return np.stack([unit, mapped, reference, pixels], axis=1)[keep]


def _point_samples(pred_ds, prediction, layer, index, vector, ignore_value, progress, n,
                   background=False):
    band = pred_ds.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    zero_counts = bool(background) and nodata == 0
    reference_classes = set()
    inverse = gdal.InvGeoTransform(pred_ds.GetGeoTransform())
    transform = None
    layer_srs, pred_wkt = layer.GetSpatialRef(), pred_ds.GetProjection()
    if layer_srs is not None and pred_wkt:
        target = osr.SpatialReference()
        target.ImportFromWkt(pred_wkt)
        if not layer_srs.IsSame(target):
            source = layer_srs.Clone()
            for srs in (source, target):
                srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            transform = osr.CoordinateTransformation(source, target)
    cm = np.zeros((n, n), np.int64)
    outside = on_nodata = 0
    total = max(layer.GetFeatureCount(), 1)
    for i, feature in enumerate(layer):
        if i % 1000 == 0:
            progress(i / total)
        value, geometry = feature.GetField(index), feature.GetGeometryRef()
        if value is None or geometry is None or int(value) == ignore_value:
            continue
        reference_classes.add(int(value))
        geometry = geometry.Clone()
        if transform is not None:
            geometry.Transform(transform)
        points = [geometry.GetGeometryRef(k) for k in range(geometry.GetGeometryCount())] \
            if geometry.GetGeometryCount() else [geometry]
        for point in points:
            col, row = gdal.ApplyGeoTransform(inverse, point.GetX(), point.GetY())
            col, row = math.floor(col), math.floor(row)
            if not (0 <= col < pred_ds.RasterXSize and 0 <= row < pred_ds.RasterYSize):
                outside += 1
                continue
            pred = band.ReadAsArray(col, row, 1, 1)
            if pred is None:
                raise InputError("GDAL could not read {source}: {last_error}.",
                                 source=prediction, last_error=raster.last_error("read error"))
            pred = pred[0, 0]
            if (nodata is not None and pred == nodata and not zero_counts) \
                    or not np.isfinite(pred):
                on_nodata += 1
                continue
            raster.check_whole_numbers(np.asarray([pred]), prediction)
            if not 0 <= pred < n:
                raise InputError("The class raster {path} holds the value {bad:g}, outside "
                                 "the class range 0..{n}.",
                                 path=prediction, bad=pred, n=n - 1)
            cm[int(value), int(pred)] += 1
    progress(1.0)
    if _is_bin(nodata, n) and int(nodata) != 0 and int(nodata) in reference_classes:
        raise InputError("The prediction {path} has the nodata value {value}, which is "
                         "also a class of the reference {reference}: its pixels of "
                         "class {value} cannot be told from nodata. Give the prediction "
                         "another nodata value, or none.",
                         path=prediction, value=int(nodata), reference=vector)
    warnings = []
    if nodata == 0 and not zero_counts and 0 in reference_classes:
        progress.warning("The prediction {path} has the nodata value 0, which the "
                         "reference {reference} also holds: pixels predicted as 0 are "
                         "left out of the scores. Turn on Ignore background to count "
                         "them as background.",
                         path=prediction, reference=vector)
    if outside or on_nodata:
        warnings.append(progress_mod.Message(
            "{outside} reference point(s) of {vector} fall outside the prediction and "
            "{on_nodata} on its nodata; skipped.",
            dict(outside=outside, vector=vector, on_nodata=on_nodata)))
    if not cm.any():
        raise InputError("No reference point of {vector} falls on a classified pixel of "
                         "the prediction {prediction}.",
                         vector=vector, prediction=prediction)
    return cm, warnings


# ---------------------------------------------------------------- scores
def scores(cm, ignore_background=False, class_names=None):
    """Scores of a confusion matrix (rows = reference, columns = prediction).

    Classes: those present in the reference or the prediction. With
    ``ignore_background``, pixels whose *reference* is class 0 are skipped
    (row 0 is dropped), while a pixel of class k predicted as 0 stays a miss
    for k (column 0 still counts in recall, IoU, overall accuracy and kappa);
    class 0 gets no entry of its own. This equals scikit-learn's scores over
    the pixels whose reference is not 0, listed for the classes other than 0.
    Per-class lists (aligned with ``classes``): precision, recall, F1, IoU (0
    where undefined, as scikit-learn's ``zero_division=0``), reference and
    predicted pixels. Summary: overall accuracy, Cohen's kappa (NaN when
    chance agreement is 1), mean IoU and mean F1 over the classes present in
    the *reference* (a class only predicted lowers precision elsewhere but is
    not averaged in), frequency-weighted IoU (weights: reference pixel
    shares), pixel count. ``class_names``: optional dict value -> name
    (default "class N").
    """
    cm = np.asarray(cm, np.int64)
    if ignore_background:
        cm = cm.copy()
        cm[0, :] = 0
    values = np.arange(cm.shape[0])
    ref_all, pred_all = cm.sum(axis=1), cm.sum(axis=0)
    total = float(cm.sum())
    tp_all = np.diag(cm).astype(np.float64)
    present = (ref_all + pred_all) > 0
    if ignore_background:
        present[0] = False
    values, ref_px, pred_px = values[present], ref_all[present], pred_all[present]
    tp = tp_all[present]
    names = [(class_names or {}).get(int(v), f"class {int(v)}") for v in values]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = _div(tp, pred_px)
        recall = _div(tp, ref_px)
        f1 = _div(2 * tp, ref_px + pred_px)
        iou = _div(tp, ref_px + pred_px - tp)
    in_ref = ref_px > 0
    if total > 0:
        oa = float(tp_all.sum() / total)
        pe = float((ref_all.astype(np.float64) * pred_all).sum() / total ** 2)
        kappa = (oa - pe) / (1 - pe) if pe < 1 else math.nan
        freq = ref_px / total
        fwiou = float((freq * iou).sum())
    else:
        oa = kappa = fwiou = math.nan
    return {
        "classes": [int(v) for v in values],
        "names": names,
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "f1": f1.tolist(),
        "iou": iou.tolist(),
        "reference_pixels": [int(x) for x in ref_px],
        "predicted_pixels": [int(x) for x in pred_px],
        "overall_accuracy": oa,
        "kappa": float(kappa),
        "mean_iou": float(iou[in_ref].mean()) if in_ref.any() else math.nan,
        "mean_f1": float(f1[in_ref].mean()) if in_ref.any() else math.nan,
        "frequency_weighted_iou": fwiou,
        "pixels": int(total),
    }


def _div(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)


SUMMARY_KEYS = ("overall_accuracy", "kappa", "mean_iou", "mean_f1", "frequency_weighted_iou")
PER_CLASS_KEYS = ("precision", "recall", "f1", "iou")


# ---------------------------------------------------------------- evaluate
@dataclass
class EvaluationResult:
    """Evaluate's result. ``cm``: the summed confusion matrix, rows the
    reference classes ``classes``, columns the predicted classes ``columns``
    (``classes``, plus 0 first when background is ignored: the misses
    predicted as background); ``scores``: the dict of :func:`scores` (in
    per-image mode, the means over images); ``per_image``: ``[(name,
    scores)]``; ``warnings``: unmatched files and the like; ``area``: the
    stratified estimates of :func:`.area.stratified_estimates` (with
    ``names``) when the reference is a vector sample, else None."""

    cm: np.ndarray
    classes: list
    scores: dict
    per_image: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    mode: str = "global"
    ignore_background: bool = False
    class_names: dict = field(default_factory=dict)
    columns: list = None
    area: dict = None

    def __post_init__(self):
        if self.columns is None:
            self.columns = list(self.classes)

    @property
    def names(self):
        return [self.class_names.get(v, f"class {v}") for v in self.classes]

    @property
    def column_names(self):
        return [self.class_names.get(v, f"class {v}") for v in self.columns]


def evaluate(prediction, reference=None, mode="global", ignore_background=False,
             ignore_value=255, progress=None, class_names=None, reference_vector=None,
             reference_field=None):
    """Compare predicted class rasters with reference ones.

    ``prediction`` and ``reference``: two raster paths, or two folders whose
    rasters (.tif, .tiff, .png, .jpg, .jpeg, .img, .vrt) are paired by file
    stem. ``mode``: ``"global"`` scores one confusion matrix summed over all
    pairs; ``"per_image"`` scores each pair and reports the mean of each
    metric over images (per-class figures: mean over the images where the
    class is present), with the per-image scores in ``per_image``.
    ``class_names``: dict value -> name; by default the reference's category
    names where it has them, else "class N".

    ``reference_vector`` (instead of ``reference``): points or polygons whose
    integer ``reference_field`` is the reference class, a sample of the one
    raster ``prediction`` (see :func:`vector_confusion_matrix`). Besides the
    scores of that sample, the result then holds ``area``: the map accuracy
    and class areas of Olofsson et al. (2014) with 95 % confidence intervals,
    the map classes as strata weighted by the prediction's class pixel counts
    (nodata left out). A reference raster gets no such estimates: its pixels
    are neither a probability sample nor independent (labels are drawn in
    patches), so the intervals would claim a precision the data lack; and a
    reference covering the whole map needs none (its pixel counts are the
    areas).
    """
    options.check("evaluate_mode", mode, "MODE")
    progress = progress_mod.ensure(progress)
    if reference_vector:
        return _evaluate_vector(os.fspath(prediction), reference, reference_vector,
                                reference_field, mode, ignore_background, ignore_value,
                                progress, class_names)
    if reference is None:
        raise InputError("Give a reference: a raster, a folder or a vector.")
    pairs, warnings = _pairs(os.fspath(prediction), os.fspath(reference))
    if class_names is None:
        class_names = _category_names(pairs[0][2])
    class_names = {int(k): str(v) for k, v in (class_names or {}).items()}
    total = None
    per_image = []
    for i, (name, pred, ref) in enumerate(pairs):
        cm = confusion_matrix(pred, ref, ignore_value=ignore_value,
                              progress=progress.sub(i / len(pairs), (i + 1) / len(pairs)),
                              background=ignore_background)
        total = cm if total is None else total + cm
        if mode == "per_image":
            per_image.append((name, scores(cm, ignore_background, class_names)))
    summary = scores(total, ignore_background, class_names)
    if mode == "per_image":
        summary = _mean_scores([s for _, s in per_image], summary)
    return _result(total, summary, per_image, warnings, mode, ignore_background, class_names)


def _result(total, summary, per_image, warnings, mode, ignore_background, class_names,
            area=None):
    classes = summary["classes"]
    columns = [0] + classes if ignore_background else classes
    return EvaluationResult(cm=total[np.ix_(classes, columns)], classes=classes,
                            scores=summary, per_image=per_image, warnings=warnings, mode=mode,
                            ignore_background=ignore_background, class_names=class_names,
                            columns=columns, area=area)


def _evaluate_vector(prediction, reference, vector, field, mode, ignore_background,
                     ignore_value, progress, class_names):
    if reference:
        raise InputError("Give either a reference raster ({reference}) or a reference "
                         "vector ({vector}), not both.",
                         reference=reference, vector=vector)
    if os.path.isdir(prediction):
        raise InputError("A reference vector is compared with one prediction raster, "
                         "not the folder {prediction}.",
                         prediction=prediction)
    if class_names is None:
        class_names = _category_names(prediction, role="prediction")
    class_names = {int(k): str(v) for k, v in (class_names or {}).items()}
    n = 256
    mapped = area_mod.mapped_pixels(prediction, n, progress=progress.sub(0.0, 0.5),
                                    background=ignore_background)
    units = []
    cm, warnings = vector_confusion_matrix(prediction, vector, field,
                                           ignore_value=ignore_value,
                                           progress=progress.sub(0.5, 1.0), n=n,
                                           background=ignore_background, units=units)
    summary = scores(cm, ignore_background, class_names)
    per_image = [(os.path.splitext(os.path.basename(prediction))[0], summary)] \
        if mode == "per_image" else []
    strata = np.nonzero((mapped > 0) | cm.any(axis=0) | cm.any(axis=1))[0]
    if units:  # polygons: each one sampling unit, never each of its pixels
        rows = units[0]
        position = np.full(n, -1, np.int64)
        position[strata] = np.arange(len(strata))
        rows = np.stack([rows[:, 0], position[rows[:, 1]], position[rows[:, 2]], rows[:, 3]],
                        axis=1)
        rows = rows[(rows[:, 1] >= 0) & (rows[:, 2] >= 0)]
        estimates = area_mod.cluster_estimates(rows, mapped[strata],
                                               area_mod.pixel_area(prediction),
                                               classes=strata)
        estimates["sampling_unit"] = "polygon"
    else:
        estimates = area_mod.stratified_estimates(
            cm[np.ix_(strata, strata)].T, mapped[strata], area_mod.pixel_area(prediction),
            classes=strata)
        estimates["sampling_unit"] = "point"
    estimates["names"] = [class_names.get(int(v), f"class {int(v)}") for v in strata]
    for value in estimates["unsampled"]:
        warnings.append(progress_mod.Message(
            "Map class {value} covers {pixels} pixels but no reference sample falls on "
            "it: its area is not estimated and the other estimates are biased.",
            dict(value=value, pixels=int(mapped[value]))))
    return _result(cm, summary, per_image, warnings, mode, ignore_background, class_names,
                   area=estimates)


def _mean_scores(image_scores, pooled):
    """Means over images of each metric; per-class means over images where present."""
    out = dict(pooled)
    for key in SUMMARY_KEYS:
        vals = [s[key] for s in image_scores if not math.isnan(s[key])]
        out[key] = float(np.mean(vals)) if vals else math.nan
    for key in PER_CLASS_KEYS:
        means = []
        for v in pooled["classes"]:
            vals = [s[key][s["classes"].index(v)] for s in image_scores if v in s["classes"]]
            means.append(float(np.mean(vals)) if vals else math.nan)
        out[key] = means
    out["images"] = len(image_scores)
    return out


def _category_names(path, role="reference"):
    ds = raster.open_raster(path, role=role)
    cats = raster.category_names(ds.GetRasterBand(1))
    return {i: c for i, c in enumerate(cats) if c}


def _rasters_in(folder, role):
    """{stem: path} of the rasters in ``folder`` (the ``role`` folder, named in errors)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise InputError("Cannot read the {role} folder {folder}: {error}.",
                         role=role, folder=folder, error=exc.strerror or exc) from None
    found = {}
    for f in names:
        stem, ext = os.path.splitext(f)
        if ext.lower() in RASTER_EXTENSIONS and not f.startswith("."):
            found.setdefault(stem, os.path.join(folder, f))
    if not found:
        raise InputError("The {role} folder {folder} holds no rasters ({extensions}).",
                         role=role, folder=folder, extensions=" ".join(RASTER_EXTENSIONS))
    return found


def _pairs(prediction, reference):
    """[(name, prediction path, reference path)] and warnings."""
    pred_dir, ref_dir = os.path.isdir(prediction), os.path.isdir(reference)
    if pred_dir != ref_dir:
        if pred_dir:
            raise InputError("Give two rasters or two folders: {prediction} is a folder, "
                             "{reference} is a file.",
                             prediction=prediction, reference=reference)
        raise InputError("Give two rasters or two folders: {prediction} is a file, "
                         "{reference} is a folder.",
                         prediction=prediction, reference=reference)
    if not pred_dir:
        name = os.path.splitext(os.path.basename(reference))[0]
        return [(name, prediction, reference)], []
    preds, refs = _rasters_in(prediction, "prediction"), _rasters_in(reference, "reference")
    common = sorted(set(preds) & set(refs))
    if not common:
        raise InputError("No raster in the prediction folder {prediction} has the same "
                         "name as one in the reference folder {reference}.",
                         prediction=prediction, reference=reference)
    warnings = []
    for stem in sorted(set(preds) - set(refs)):
        warnings.append(progress_mod.Message(
            "Prediction {path} has no reference with the same name; skipped.",
            {"path": preds[stem]}, level="warning"))
    for stem in sorted(set(refs) - set(preds)):
        warnings.append(progress_mod.Message(
            "Reference {path} has no prediction with the same name; skipped.",
            {"path": refs[stem]}, level="warning"))
    return [(stem, preds[stem], refs[stem]) for stem in common], warnings
