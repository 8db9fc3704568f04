"""Predict Raster: a trained model over a whole scene, in overlapping windows.

Entry points: :func:`predict_raster` (a :class:`PredictParams`) and
:func:`run_job` (the worker's ``"predict"`` task; the same fields as a dict).

Plan, then run. Everything that can be checked without the network is
checked first and turned into a frozen :class:`.window_plan.WindowPlan`
(window, overlap, divisor, batch, memory estimate, windows, windows skipped;
"auto" is 0 for TILE_SIZE, OVERLAP and BATCH_SIZE; see that module for the
rules), which is logged *before* TensorFlow is imported: a bad value fails
in well under a second, before any output file exists. Then the output files
are created, a reader thread starts reading the first windows, and only then
is TensorFlow imported and the model loaded, so that work overlaps the first
reads.

The model may be a ``.keras`` file (TensorFlow) or an ``.onnx`` file written
by Export Model, either layout (ONNX Runtime, :mod:`.onnx_backend`; its
metadata is the file's ``semseg`` property): ``backend`` "auto" picks by the
extension, and an ONNX run imports no TensorFlow or Keras at all, so the
engine's Python then needs only ONNX Runtime, NumPy and GDAL. A
Deepness-layout file takes windows of its tile size only, and the plan uses
them. ``backend="onnxruntime"`` with a ``.keras`` file converts it once to a
cached ONNX copy (:func:`.predictors.converted_onnx`).

Stride mode (the default) never holds the scene in memory:

- The windows come from the plan: anchored to the scene's own pixel grid
  (not to EXTENT), so predicting a scene as several extents and mosaicking
  them gives the same class raster, byte for byte, as one run. A window
  whose size is not a multiple of the network's divisor (a scene smaller
  than a window) is reflect-padded up to one and the padding cut off again.
- The reader thread reads each window with GDAL, marks invalid pixels (a
  band's nodata or NaN, outside the ``mask`` polygons), normalises
  ``(x - mean) / std`` as float32 (invalid pixels -> 0, the training mean)
  and queues it while the network runs the current batch. Windows with no
  valid pixel (all nodata, or outside the mask: the mask is read first) get
  no forward pass; windows outside EXTENT are not even read. Both counts are
  in the result and the log.
- The main thread runs batches through the predictor
  (:mod:`.predictors`: the network behind one seam, traced once; test-time
  augmentation averaged there, batch halved on out-of-memory), weights each
  window's probabilities with :func:`.blending.weight_window` and sums them
  into a :class:`.blending.RowBand` one window high and as wide as the
  windows' hull. When the next row of windows begins, the finished rows are
  written inline by GDAL windowed writes (the EXTENT's part of them): argmax
  -> class values (not channel indices), invalid or unpredicted pixels ->
  nodata (255), and the optional probability, confidence and entropy
  rasters. Memory: ``window x width x classes`` float32 plus a few batches.

Per-image mode (``mode="per_image"``, the seed's mode for small photos): the
whole image is resampled by GDAL to ``tile x tile``, predicted once (its
test-time augmentation copies in batches of ``batch_size``), and the
probabilities resampled back bilinearly, row strip by row strip. Scenes
larger than :data:`.window_plan.PER_IMAGE_LIMIT` pixels a side are refused.

Outputs (written under partial names, renamed when complete, removed on any
error or cancel):

- ``output``: Byte tiled DEFLATE GeoTIFF with the input's CRS and the
  (extent) grid's geotransform, nodata 255 (:data:`.labels.IGNORE`, which no
  class value takes: model files hold values 0..254), a colour table and
  category names from the model's classes, NEAREST overviews.
- ``output_probability``: one band per class (descriptions = class names),
  AVERAGE overviews. ``probability_format="byte"``: ``round(p * 254)`` so
  0..254 is 0..1 and 255 is nodata; ``"float"``: Float32 0..1, nodata -1.
- ``output_confidence``: Float32, the largest class probability; nodata -1.
- ``output_entropy``: Float32, the Shannon entropy of the class
  probabilities divided by ``log(n_classes)`` (0 = certain, 1 = uniform);
  nodata -1.
- ``output_vector``: polygons of the class raster (GeoPackage or Shapefile by
  extension), fields ``class``, ``name``, ``area``; smaller than ``min_area``
  (map units squared) dropped.
- ``output_label_next``: the ``label_next_count`` cells (squares of the
  model's training tile, on the scene's pixel grid, clipped to the extent)
  with the highest mean normalised entropy: where labelling helps the model
  most. Fields ``rank`` (1 = most uncertain), ``score`` (mean entropy of its
  valid pixels), ``class`` (the predicted majority class value: correct it,
  or draw finer polygons, then give the layer to Tile Dataset as
  LABEL_VECTOR with LABEL_FIELD ``class``), ``class_mix`` (JSON: the share of
  each class name among its predicted pixels) and ``valid`` (its share of
  predicted pixels).
"""

import dataclasses
import json
import math
import os
import queue
import shutil
import tempfile
import threading
import time
from typing import List, Optional

import numpy as np
from osgeo import gdal, ogr

from .. import options, outputs
from ..data import raster, sources, vectorize
from . import blending, drift, window_plan, predictors
from ..errors import InputError
from ..data.labels import IGNORE as CLASS_NODATA
from .window_plan import auto_overlap  # noqa: F401  (part of this module's API)
from ..progress import GdalProgress, ensure

MODES = tuple(options.names("predict_mode"))
PROBABILITY_FORMATS = tuple(options.names("probability_format"))
TTA_MODES = tuple(options.names("tta"))
BACKENDS = tuple(options.names("predict_backend"))
PER_IMAGE_LIMIT = window_plan.PER_IMAGE_LIMIT
FLOAT_NODATA = -1.0
BYTE_NODATA = 255
LABEL_NEXT_COUNT = 20


@dataclasses.dataclass
class PredictParams:
    """What Predict Raster needs; the field names are the job's keys. 0 = auto."""

    input: str
    model: str
    output: str
    bands: Optional[List[int]] = None  # 1-based; None = 1..N for an N-band model
    mode: str = "stride"  # "stride" | "per_image"
    tile_size: int = 0  # 0 = auto (see window_plan)
    overlap: Optional[int] = 0  # 0 (or None) = auto
    batch_size: int = 0  # 0 = auto (memory budget)
    tta: str = "none"  # "none" | "flips" | "d4"
    # map units per pixel to read the input at (None or 0: its own); web sources need it
    resolution: Optional[float] = None
    extent: Optional[List[float]] = None  # [xmin, ymin, xmax, ymax] in the raster's CRS
    mask: Optional[str] = None  # OGR polygons; outside -> nodata
    output_probability: Optional[str] = None
    probability_format: str = "byte"  # "byte" | "float"
    output_confidence: Optional[str] = None
    output_entropy: Optional[str] = None
    output_vector: Optional[str] = None  # .gpkg or .shp
    min_area: float = 0.0  # map units squared
    output_label_next: Optional[str] = None  # .gpkg or .shp
    label_next_count: int = LABEL_NEXT_COUNT
    # "auto" (ONNX Runtime for .onnx, TensorFlow for .keras) | "tensorflow" | "onnxruntime"
    backend: str = "auto"


def run_job(params, progress=None):
    """The worker's ``"predict"`` task: ``params`` is a dict of PredictParams fields."""
    params = options.job_params(PredictParams, params, "predict")
    missing = [k for k in ("input", "model", "output") if not params.get(k)]
    if missing:
        raise InputError("The prediction needs {missing}.",
                         missing=", ".join(missing))
    # The worker is a process of its own: keep GDAL's block cache modest (it
    # holds the input's block rows that overlapping windows read again and the
    # output's partly written tiles) so its memory stays flat.
    gdal.SetCacheMax(min(gdal.GetCacheMax(), 128 << 20))
    return predict_raster(PredictParams(**params), progress)


# ---------------------------------------------------------------- checks
def _outputs(p):
    return [x for x in (p.output, p.output_probability, p.output_confidence,
                        p.output_entropy, p.output_vector, p.output_label_next) if x]


def _check_params(p):
    options.check("predict_mode", p.mode, "MODE")
    options.check("probability_format", p.probability_format, "PROBABILITY_FORMAT")
    options.check("tta", p.tta, "TTA")
    options.check("predict_backend", p.backend, "BACKEND")
    predictors.resolve_backend(p.model, p.backend)
    if float(p.min_area or 0) < 0:
        raise InputError("MIN_AREA must not be negative ({min_area}).",
                         min_area=p.min_area)
    if int(p.label_next_count or 0) < 1:
        raise InputError("LABEL_NEXT_COUNT must be at least 1, not {count}.",
                         count=p.label_next_count)
    given = [os.path.abspath(x) for x in _outputs(p)]
    if len(set(given)) != len(given):
        raise InputError("The class, probability, confidence, entropy and vector outputs "
                         "must be different files.")
    if os.path.abspath(p.input) in given:
        raise InputError("An output would overwrite the input {input}.",
                         input=p.input)
    for path in (p.output_vector, p.output_label_next):
        if path:
            vectorize.driver_for(path)


def _select_bands(ds, p, meta):
    n_model = int(meta.get("bands") or len(meta.get("mean") or []) or ds.RasterCount)
    count = ds.RasterCount
    if p.bands:
        bands = [int(b) for b in p.bands]
        bad = [b for b in bands if not 1 <= b <= count]
        if bad:
            raise InputError("BANDS {bad} do not exist in {input}, which has {count} "
                             "band(s).",
                             bad=bad, input=p.input, count=count)
        if len(bands) != n_model:
            raise InputError("BANDS lists {n_bands} band(s) but the model {model} takes "
                             "{n_model}.",
                             n_bands=len(bands), model=p.model, n_model=n_model)
        return bands
    if count != n_model:
        names = meta.get("band_names")
        if names:
            raise InputError(
                "The raster {input} has {count} band(s) but the model {model} takes "
                "{n_model} (trained on {band_names}); choose the {n_model} band(s) to use "
                "with BANDS.",
                input=p.input, count=count, model=p.model, n_model=n_model,
                band_names=", ".join(map(str, names)))
        raise InputError(
            "The raster {input} has {count} band(s) but the model {model} takes "
            "{n_model}; choose the {n_model} band(s) to use with BANDS.",
            input=p.input, count=count, model=p.model, n_model=n_model)
    return list(range(1, count + 1))


def _grid(ds, extent, path):
    """The (extent) sub-grid as a Window of the raster, snapped outward."""
    width, height = ds.RasterXSize, ds.RasterYSize
    if not extent:
        return raster.Window(0, 0, width, height)
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise InputError("EXTENT must be [xmin, ymin, xmax, ymax], not {extent}.",
                         extent=repr(extent)) from None
    if not (xmax > xmin and ymax > ymin):
        raise InputError("EXTENT {extent} is empty (xmax <= xmin or ymax <= ymin).",
                         extent=extent)
    x0, dx, rx, y0, ry, dy = ds.GetGeoTransform()
    if rx or ry:
        raise InputError("EXTENT needs a north-up raster; {path} is rotated.",
                         path=path)
    eps = 1e-6
    cols = sorted(((xmin - x0) / dx, (xmax - x0) / dx))
    rows = sorted(((ymax - y0) / dy, (ymin - y0) / dy))
    c0, c1 = math.floor(cols[0] + eps), math.ceil(cols[1] - eps)
    r0, r1 = math.floor(rows[0] + eps), math.ceil(rows[1] - eps)
    c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, width), min(r1, height)
    if c1 <= c0 or r1 <= r0:
        b = raster.bounds(ds)
        raise InputError(
            "EXTENT {extent} lies outside the raster {path} ({b_0:.3f}, {b_1:.3f}, "
            "{b_2:.3f}, {b_3:.3f}).",
            extent=list(extent), path=path, b_0=b[0], b_1=b[1], b_2=b[2], b_3=b[3])
    return raster.Window(c0, r0, c1 - c0, r1 - r0)


def _classes(meta):
    entries = []
    for i, c in enumerate(meta["classes"]):
        value = int(c.get("value", i))
        color = c.get("color") or (128, 128, 128)
        if isinstance(color, str):
            s = color.lstrip("#")
            color = tuple(int(s[k:k + 2], 16) for k in (0, 2, 4))
        entries.append((value, str(c.get("name", f"class {value}")), tuple(color)[:3]))
    return entries


# ---------------------------------------------------------------- input
class _Source:
    """Reads windows (scene pixels): normalised pixels and a valid mask.

    ``mask_path`` is the rasterized mask on the windows' hull. Each thread must
    use its own instance (GDAL handles are not thread-safe).
    """

    def __init__(self, path, bands, hull, mean, std, mask_path=None):
        self.ds = raster.open_raster(path, role="input raster")
        self.bands = bands
        self.hull = hull
        self.nodata = [self.ds.GetRasterBand(b).GetNoDataValue() for b in bands]
        self.mean = np.asarray(mean, np.float32)
        self.std = np.asarray(std, np.float32)
        self.mask = raster.open_raster(mask_path, role="mask") if mask_path else None

    def read(self, window):
        """``(normalised float32 (h, w, bands), valid bool (h, w))`` of a scene
        window; ``(None, valid)`` when no pixel is valid (nothing to predict)."""
        inside = None
        if self.mask is not None:
            local = raster.Window(window.x - self.hull.x, window.y - self.hull.y,
                                  window.width, window.height)
            inside = raster.read_window(self.mask, local)[..., 0] > 0
            if not inside.any():
                return None, inside
        data = raster.read_window(self.ds, window, self.bands)
        x, valid = raster.standardise(data, self.mean, self.std, self.nodata)
        if inside is not None:
            valid &= inside
            x[~inside] = 0.0
        if not valid.any():
            return None, valid
        return x, valid


def _pad(x, height, width):
    """Reflect-pad (h, w, c) at the bottom/right up to (height, width)."""
    h, w = x.shape[:2]
    if (h, w) == (height, width):
        return x
    mode = "reflect" if height - h < h and width - w < w else "symmetric"
    if mode == "symmetric" and (height - h > h or width - w > w):
        mode = "edge"
    return np.pad(x, ((0, height - h), (0, width - w), (0, 0)), mode=mode)


def _open_mask(mask):
    """``(datasource, [layer])`` of a mask path, QGIS style ``path|layername=name`` too
    (``layerid=`` and ``subset=`` as well); the layer is chosen by the rule every
    vector input follows (vectorize.pick_layer: named, else the first)."""
    path, layer_ref, subset = vectorize.split_vector_path(mask)
    src = raster.gdal_call(ogr.Open, path)
    if src is None or src.GetLayerCount() == 0:
        raise InputError("OGR cannot open the mask {mask} as a vector layer.",
                         mask=mask)
    layer = vectorize.pick_layer(src, layer_ref)
    if layer is None:
        raise InputError("The mask {path} has no layer {name}.",
                         path=path, name=repr(layer_ref))
    layers = [layer]
    if subset:
        for layer in layers:
            if not raster.gdal_ok(layer.SetAttributeFilter, subset):
                raise InputError("The filter {subset} of the mask {mask} is invalid: "
                                 "{gdal_error}.",
                                 subset=repr(subset), mask=mask,
                                 gdal_error=raster.last_error("invalid filter"))
    return src, layers


def _rasterize_mask(mask_path, grid_ds_geotransform, projection, width, height, folder):
    """Burn the mask polygons on the output grid into a temporary Byte GeoTIFF
    (polygons in another CRS are reprojected by GDAL)."""
    src, layers = _open_mask(mask_path)
    path = os.path.join(folder, "mask.tif")
    ds = raster.create(path, width, height, 1, np.uint8, grid_ds_geotransform, projection)
    for layer in layers:
        if not raster.gdal_ok(gdal.RasterizeLayer, ds, [1], layer, burn_values=[1]):
            raise InputError("Cannot rasterize the mask {mask_path}: {gdal_error}.",
                             mask_path=mask_path,
                             gdal_error=raster.last_error("rasterize failed"))
    ds.FlushCache()
    ds = None
    return path


class _Reader(threading.Thread):
    """Reads and normalises windows ahead of the network (a prefetch queue):
    ``windows`` is ``[(tag, window)]`` in reading order, and :meth:`items`
    yields ``(tag, window, pixels or None, valid mask)``."""

    _END = object()

    def __init__(self, make_source, windows, shape, depth):
        super().__init__(daemon=True, name="predict-reader")
        self.make_source = make_source
        self.windows = windows
        self.shape = shape
        self.queue = queue.Queue(maxsize=max(2, depth))
        self.stop = threading.Event()

    def _put(self, item):
        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run(self):
        try:
            source = self.make_source()
            for tag, window in self.windows:
                if self.stop.is_set():
                    return
                x, valid = source.read(window)
                if x is not None:
                    x = _pad(x, *self.shape)
                if not self._put((tag, window, x, valid)):
                    return
            self._put(self._END)
        except BaseException as exc:  # handed to the main thread
            self._put(exc)

    def items(self):
        while True:
            item = self.queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self):
        self.stop.set()
        self.join(timeout=10)


# ---------------------------------------------------------------- output
def normalised_entropy(p, axis=-1):
    """Shannon entropy of probabilities ``p`` along ``axis`` divided by
    ``log(n_classes)``: 0 (one class certain) .. 1 (all equally likely)."""
    n = p.shape[axis]
    if n < 2:
        return np.zeros(np.delete(p.shape, axis % p.ndim), np.float32)
    q = np.clip(p, 1e-12, 1.0)
    h = -(p * np.log(q)).sum(axis=axis) / np.float32(math.log(n))
    return np.clip(h, 0.0, 1.0).astype(np.float32)


class _Cells:
    """Per-cell sums for "label next": entropy, valid pixels and class counts
    over squares of ``cell`` scene pixels (anchored to the scene's grid)."""

    def __init__(self, grid, cell, n_classes):
        self.grid, self.cell, self.n = grid, int(cell), int(n_classes)
        self.cy0, self.cx0 = grid.y // self.cell, grid.x // self.cell
        self.ny = (grid.y + grid.height - 1) // self.cell - self.cy0 + 1
        self.nx = (grid.x + grid.width - 1) // self.cell - self.cx0 + 1
        cols = (grid.x + np.arange(grid.width)) // self.cell - self.cx0
        self.cols = cols.astype(np.int64)
        self.entropy = np.zeros(self.ny * self.nx, np.float64)
        self.valid = np.zeros(self.ny * self.nx, np.int64)
        self.pixels = np.zeros(self.ny * self.nx, np.int64)
        self.classes = np.zeros(self.ny * self.nx * self.n, np.int64)

    def add(self, top, col, entropy, index, nodata):
        """Rows ``top..`` and columns ``col..`` of the output grid: entropy,
        class index, nodata."""
        rows = (self.grid.y + top + np.arange(len(entropy))) // self.cell - self.cy0
        cols = self.cols[int(col):int(col) + entropy.shape[1]]
        cell = (rows[:, None] * self.nx + cols[None, :])
        size = self.ny * self.nx
        self.pixels += np.bincount(cell.ravel(), minlength=size)
        ok = ~nodata
        c = cell[ok]
        self.valid += np.bincount(c, minlength=size)
        self.entropy += np.bincount(c, weights=entropy[ok], minlength=size)
        self.classes += np.bincount(c * self.n + index[ok], minlength=size * self.n)

    def ranked(self, count):
        """``[(cell_row, cell_col, score, valid share, class counts)]``, best first."""
        score = np.where(self.valid > 0, self.entropy / np.maximum(self.valid, 1), -1.0)
        order = np.argsort(-score, kind="stable")
        out = []
        for k in order[:count]:
            if self.valid[k] == 0:
                break
            out.append((int(k // self.nx) + self.cy0, int(k % self.nx) + self.cx0,
                        float(score[k]), float(self.valid[k] / max(self.pixels[k], 1)),
                        self.classes[k * self.n:(k + 1) * self.n]))
        return out


def write_label_next(path, cells, count, classes, scene_geotransform, projection, grid):
    """The ``count`` most uncertain cells as ranked polygons (see the module docstring)."""
    driver = ogr.GetDriverByName(vectorize.driver_for(path))
    partial = outputs.partial_path(path)
    ds = raster.gdal_call(driver.CreateDataSource, partial)
    if ds is None:
        raise InputError("Cannot create the vector file {path}: {gdal_error}.",
                         path=path, gdal_error=raster.last_error("write error"))
    srs = raster.srs_from_wkt(projection) if projection else None
    layer = ds.CreateLayer(os.path.splitext(os.path.basename(path))[0], srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("rank", ogr.OFTInteger))
    layer.CreateField(ogr.FieldDefn("score", ogr.OFTReal))
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    mix = ogr.FieldDefn("class_mix", ogr.OFTString)
    mix.SetWidth(254)
    layer.CreateField(mix)
    layer.CreateField(ogr.FieldDefn("valid", ogr.OFTReal))
    x0, dx, _, y0, _, dy = scene_geotransform
    size = cells.cell
    layer.StartTransaction()
    for rank, (cy, cx, score, valid, counts) in enumerate(cells.ranked(count), start=1):
        c0, r0 = max(cx * size, grid.x), max(cy * size, grid.y)
        c1 = min((cx + 1) * size, grid.x + grid.width)
        r1 = min((cy + 1) * size, grid.y + grid.height)
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for c, r in ((c0, r0), (c1, r0), (c1, r1), (c0, r1), (c0, r0)):
            ring.AddPoint_2D(x0 + c * dx, y0 + r * dy)
        polygon = ogr.Geometry(ogr.wkbPolygon)
        polygon.AddGeometry(ring)
        total = max(int(counts.sum()), 1)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("rank", rank)
        feature.SetField("score", round(score, 6))
        feature.SetField("class", int(classes[int(np.argmax(counts))][0]))
        feature.SetField("class_mix", json.dumps(
            {name: round(int(n) / total, 4) for (_, name, _), n in zip(classes, counts)}))
        feature.SetField("valid", round(valid, 4))
        feature.SetGeometry(polygon)
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    ds = None
    return path


class _Writer:
    """Turns finished rows of summed probabilities into output pixels."""

    def __init__(self, p, plan, geotransform, projection, classes):
        self.values = np.array([c[0] for c in classes])
        grid = plan.grid
        self.grid, self.hull = grid, plan.hull
        self.nodata = CLASS_NODATA
        self.lut = self.values.astype(np.uint8)
        self.counts = np.zeros(int(self.values.max()) + 1, np.int64)
        self.ds = raster.create(outputs.partial_path(p.output), grid.width, grid.height, 1,
                                np.uint8, geotransform, projection, nodata=self.nodata)
        self.band = self.ds.GetRasterBand(1)
        raster.set_class_table(self.band, classes)
        self.prob = None
        if p.output_probability:
            self.float = p.probability_format == "float"
            self.prob_nodata = FLOAT_NODATA if self.float else BYTE_NODATA
            self.prob = raster.create(outputs.partial_path(p.output_probability), grid.width,
                                      grid.height, len(classes),
                                      np.float32 if self.float else np.uint8,
                                      geotransform, projection, nodata=self.prob_nodata)
            for i, (_, name, _) in enumerate(classes):
                self.prob.GetRasterBand(i + 1).SetDescription(name)
        self.confidence = self.entropy = None
        if p.output_confidence:
            self.confidence = raster.create(outputs.partial_path(p.output_confidence),
                                            grid.width, grid.height, 1, np.float32,
                                            geotransform, projection, nodata=FLOAT_NODATA)
            self.confidence.GetRasterBand(1).SetDescription("confidence")
        if p.output_entropy:
            self.entropy = raster.create(outputs.partial_path(p.output_entropy),
                                         grid.width, grid.height, 1, np.float32,
                                         geotransform, projection, nodata=FLOAT_NODATA)
            self.entropy.GetRasterBand(1).SetDescription("normalised entropy")
        self.cells = (_Cells(grid, plan.label_cell, len(classes)) if p.output_label_next
                      else None)

    def write(self, top, sums, weights, invalid, left=0, owned=None, chunk=64):
        """Write the part inside the output grid of hull rows ``top..top + len(sums)``
        (the RowBand.flush callback), ``chunk`` rows at a time. ``sums[:, 0]`` is
        hull column ``left``; only hull columns ``owned`` = (x0, x1) are written
        (a strip's own columns; default: all of ``sums``)."""
        grid, hull = self.grid, self.hull
        first = hull.y + top  # scene row of sums[0]
        a, b = max(first, grid.y), min(first + len(sums), grid.y + grid.height)
        x0, x1 = owned if owned is not None else (left, left + sums.shape[1])
        lo = max(grid.x, hull.x + max(x0, left))
        hi = min(grid.x + grid.width, hull.x + min(x1, left + sums.shape[1]))
        if hi <= lo:
            return
        c0, c1 = lo - hull.x - left, hi - hull.x - left
        for r in range(a, b, chunk):
            s = slice(r - first, min(r + chunk, b) - first)
            self._write(r - grid.y, lo - grid.x, sums[s, c0:c1], weights[s, c0:c1],
                        invalid[s, c0:c1])

    def _write(self, top, col, sums, weights, invalid):
        nodata = invalid | (weights <= 0)
        index = np.argmax(sums, axis=-1)
        out = self.lut[index]
        out[nodata] = self.nodata
        raster.write_window(self.ds, out, raster.Window(int(col), int(top), out.shape[1],
                                                        len(out)))
        self.counts += np.bincount(out[~nodata].ravel(), minlength=self.counts.size)[
            : self.counts.size]
        if self.prob is None and self.confidence is None and self.entropy is None \
                and self.cells is None:
            return
        p = sums / np.maximum(weights, 1e-12)[..., None]
        where = raster.Window(int(col), int(top), p.shape[1], len(p))
        if self.prob is not None:
            q = p.astype(np.float32) if self.float else \
                np.clip(np.rint(p * 254.0), 0, 254).astype(np.uint8)
            q[nodata] = self.prob_nodata
            raster.write_window(self.prob, q, where)
        if self.confidence is not None:
            c = p.max(axis=-1).astype(np.float32)
            c[nodata] = FLOAT_NODATA
            raster.write_window(self.confidence, c, where)
        if self.entropy is not None or self.cells is not None:
            h = normalised_entropy(p)
            if self.cells is not None:
                self.cells.add(top, col, h, index, nodata)
            if self.entropy is not None:
                h[nodata] = FLOAT_NODATA
                raster.write_window(self.entropy, h, where)

    def pixels(self):
        return {int(v): int(self.counts[v]) for v in self.values}

    def close(self, progress):
        """Overviews, then close the files (still under their partial names)."""
        files = [(self.ds, "NEAREST")] + [(f, "AVERAGE") for f in
                                          (self.prob, self.confidence, self.entropy) if f]
        for i, (ds, method) in enumerate(files):
            _overviews(ds, method, progress.sub(i / len(files), (i + 1) / len(files)))
            ds.FlushCache()
        self.abandon()

    def abandon(self):
        self.ds = self.band = self.prob = self.confidence = self.entropy = None


def _overview_levels(width, height, smallest=64):
    levels, level = [], 2
    while max(width, height) / level >= smallest:
        levels.append(level)
        level *= 2
    return levels


def _overviews(ds, method, progress):
    levels = _overview_levels(ds.RasterXSize, ds.RasterYSize)
    if not levels:
        return

    callback = GdalProgress(progress)
    old = gdal.GetThreadLocalConfigOption("COMPRESS_OVERVIEW", None)
    gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", "DEFLATE")
    try:
        ds.BuildOverviews(method, levels, callback=callback)
    finally:
        gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", old)
    callback.reraise()


# ---------------------------------------------------------------- the run
def _statistics(meta, n, model):
    mean = np.asarray(meta.get("mean") if meta.get("mean") is not None else [0.0] * n,
                      np.float32)
    std = np.asarray(meta.get("std") if meta.get("std") is not None else [1.0] * n,
                     np.float32)
    if mean.size != n or std.size != n:
        raise InputError("The model file {model} has normalisation statistics for {size} "
                         "band(s), not {n}.",
                         model=model, size=mean.size, n=n)
    return mean, np.where(std > 0, std, 1.0).astype(np.float32)


def plan_prediction(params, progress=None, budget=None, name=None):
    """Check ``params`` and make the window plan, without TensorFlow.

    Returns ``(plan, facts)``: facts holds what the run needs besides the plan
    (metadata, bands, statistics, classes, georeference). Creates no file.
    """
    from ..formats import modelfile

    progress = ensure(progress)
    p = params if isinstance(params, PredictParams) else PredictParams(**params)
    _check_params(p)
    meta = modelfile.read_metadata(p.model)
    ds = raster.open_raster(p.input, role="input raster")
    bands = _select_bands(ds, p, meta)
    grid = _grid(ds, p.extent, p.input)
    mean, std = _statistics(meta, len(bands), p.model)
    if p.mask:
        _open_mask(p.mask)
    drift.warn_input(ds, bands, meta, name or sources.describe(p.input), progress, grid)
    classes = _classes(meta)
    plan = window_plan.make_plan(meta, (ds.RasterXSize, ds.RasterYSize), grid, len(bands),
                                  len(classes), mode=p.mode, tile_size=p.tile_size,
                                  overlap=p.overlap, batch_size=p.batch_size, tta=p.tta,
                                  budget=budget)
    facts = dict(params=p, meta=meta, bands=bands, mean=mean, std=std, classes=classes,
                 backend=predictors.resolve_backend(p.model, p.backend),
                 scene_geotransform=ds.GetGeoTransform(), projection=ds.GetProjection())
    return plan, facts


def predict_raster(params, progress=None, predictor=None):
    """Predict ``params.input`` with ``params.model``; see the module docstring.

    ``params.input`` may be a web service description (engine/data/sources.py);
    with ``params.resolution`` (or for a web source) it is read through a
    warped VRT on that grid over ``params.extent``, window by window.
    ``predictor``: see :func:`_predict_raster`.
    """
    p = params if isinstance(params, PredictParams) else PredictParams(**params)
    if not p.resolution and not sources.needs_grid(p.input):
        return _predict_raster(p, progress, predictor)
    _check_params(p)
    folder = tempfile.mkdtemp(prefix="semseg-source-")
    try:
        path = sources.warped_path(p.input, folder, p.resolution, p.extent,
                                   role="input raster")
        return _predict_raster(dataclasses.replace(p, input=path, resolution=None), progress,
                               predictor, name=sources.describe(p.input))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _predict_raster(params, progress=None, predictor=None, name=None):
    """Predict ``params.input`` (a raster GDAL opens) with ``params.model``.

    ``predictor``: a callable batch -> probabilities to use instead of the
    model file's network (tests, other backends); the model file still gives
    the metadata.

    Returns ``{"output", "output_probability", "output_confidence",
    "output_entropy", "output_vector", "output_label_next", "classes",
    "pixels": {value: count}, "windows", "windows_skipped", "plan", "seconds"}``.
    """
    start = time.perf_counter()
    progress = ensure(progress)
    plan, facts = plan_prediction(params, progress, name=name)
    plan.log(progress)
    p, classes = facts["params"], facts["classes"]
    grid_gt = raster.window_geotransform(facts["scene_geotransform"], plan.grid)
    projection = facts["projection"]
    finals = _outputs(p)
    temp = tempfile.mkdtemp(prefix="semseg-predict-")
    writer = reader = None
    try:
        mask_path = None
        if p.mask:
            hull_gt = raster.window_geotransform(facts["scene_geotransform"], plan.hull)
            mask_path = _rasterize_mask(p.mask, hull_gt, projection, plan.hull.width,
                                        plan.hull.height, temp)
        writer = _Writer(p, plan, grid_gt, projection, classes)

        def source():
            return _Source(p.input, facts["bands"], plan.hull, facts["mean"], facts["std"],
                           mask_path)

        if plan.mode == "stride":  # read the first windows while the network loads
            reader = _Reader(source, list(plan.strip_windows()), plan.input_shape,
                             2 * plan.batch * plan.transforms)
            reader.start()
        if predictor is None:
            backend = facts["backend"]
            if backend == "onnxruntime":
                progress.info("Loading ONNX Runtime and the model {model}.", model=p.model)
            else:
                progress.info("Loading TensorFlow and the model {model}.", model=p.model)
            loaded = time.perf_counter()
            if predictors.gpu_present(backend):
                budget = predictors.gpu_budget(window_plan.GPU_BUDGET)
                plan = plan.for_gpu(budget=budget, bands=len(facts["bands"]))
                progress.info("GPU found: batch {batch}, planned on {budget_mb} MiB of its "
                              "free memory (halved if it does not fit).",
                              batch=plan.batch, budget_mb=budget >> 20)
            predictor, _ = predictors.load_predictor(p.model, plan.input_shape,
                                                     len(facts["bands"]), backend, progress)
            if backend == "onnxruntime":
                progress.info("ONNX Runtime and the model loaded in {seconds:.1f} s "
                              "({providers}).", seconds=time.perf_counter() - loaded,
                              providers=", ".join(getattr(predictor, "providers", ())))
            else:
                progress.info("TensorFlow and the model loaded in {seconds:.1f} s.",
                              seconds=time.perf_counter() - loaded)
        run = predictors.Halving(predictor, plan.batch, progress)
        if plan.mode == "stride":
            counts = _predict_stride(plan, run, reader, writer, len(classes),
                                     progress.sub(0.0, 0.9))
        else:
            counts = _predict_per_image(plan, run, source, writer, progress.sub(0.0, 0.9))
        writer.close(progress.sub(0.9, 0.95))
        if p.output_vector:
            partial = outputs.partial_path(p.output)
            class_ds = raster.open_raster(partial, role="class raster")
            names = {v: name for v, name, _ in classes}
            layer = os.path.splitext(os.path.basename(p.output_vector))[0]
            vectorize.polygonize(class_ds.GetRasterBand(1),
                                 outputs.partial_path(p.output_vector), names,
                                 p.min_area, layer_name=layer,
                                 progress=progress.sub(0.95, 1.0))
            class_ds = None
        if p.output_label_next:
            write_label_next(p.output_label_next, writer.cells, int(p.label_next_count),
                             classes, facts["scene_geotransform"], projection, plan.grid)
        progress(1.0)  # a cancel now still removes everything
        for path in finals:
            outputs.finish(path)
    except BaseException:
        if reader is not None:
            reader.close()
        if writer is not None:
            writer.abandon()
        outputs.discard_all(finals)
        raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    seconds = time.perf_counter() - start
    predicted, empty = counts
    progress.info("Predicted {width} x {height} pixels in {n_windows} window(s) ({empty} "
                  "empty and {outside} outside the extent skipped), {seconds:.1f} s.",
                  width=plan.grid.width, height=plan.grid.height, n_windows=predicted,
                  empty=empty, outside=plan.skipped, seconds=seconds)
    return {
        "output": p.output,
        "output_probability": p.output_probability or None,
        "output_confidence": p.output_confidence or None,
        "output_entropy": p.output_entropy or None,
        "output_vector": p.output_vector or None,
        "output_label_next": p.output_label_next or None,
        "classes": facts["meta"]["classes"],
        "pixels": writer.pixels(),
        "windows": predicted,
        "windows_skipped": empty + plan.skipped,
        "windows_empty": empty,
        "windows_outside_extent": plan.skipped,
        "batch_halvings": run.halvings,
        "plan": window_plan.describe_tile(plan),
        "seconds": round(seconds, 3),
    }


def _predict_stride(plan, run, reader, writer, n_classes, progress):
    """Blend the reader's windows into the writer, strip by strip (one strip
    unless the scene is very wide: window_plan.make_strips); returns
    ``(predicted, empty)`` window counts."""
    hull = plan.hull
    win_h, win_w = plan.window_shape
    weights = blending.weight_window(win_h, win_w, plan.overlap)
    started = time.perf_counter()
    pending, arrays = [], []
    state = {"done": 0, "row": 0, "predicted": 0, "empty": 0, "first": None, "strip": -1,
             "band": None, "left": 0}

    def flush(row):
        band, k, left = state["band"], state["strip"], state["left"]
        if band is not None:
            owned = (plan.strips[k][0] - hull.x, plan.strips[k][1] - hull.x)
            band.flush(row, lambda top, s, w, i: writer.write(top, s, w, i, left, owned))

    def start_strip(k):
        flush(hull.height)
        left, width = plan.strip_band(k)
        state["strip"], state["row"], state["left"] = k, 0, left
        state["band"] = blending.RowBand(win_h, width, n_classes)

    def drain():
        if arrays:
            probs = predictors.predict_tta(run, np.stack(arrays), plan.tta, plan.batch)
        k = 0
        for strip, window, x_in, valid in pending:
            if strip != state["strip"]:
                start_strip(strip)
            band = state["band"]
            x, y = window.x - hull.x - state["left"], window.y - hull.y
            if y != state["row"]:
                flush(y)
                state["row"] = y
            if x_in is None:
                band.mark_invalid(x, y, valid)
                state["empty"] += 1
            else:
                band.add(x, y, probs[k], weights, valid)
                k += 1
        state["predicted"] += k
        state["done"] += len(pending)
        pending.clear()
        arrays.clear()
        if state["first"] is None and k:
            state["first"] = (time.perf_counter(), state["done"])
        progress(state["done"] / plan.n_reads)

    try:
        for strip, window, x_in, valid in reader.items():
            pending.append((strip, window, x_in, valid))
            if x_in is not None:
                arrays.append(x_in)
            if len(arrays) == plan.batch or len(pending) >= 4 * plan.batch:
                drain()
        drain()
        flush(hull.height)
    finally:
        reader.close()
    if state["first"] is not None:
        end = time.perf_counter()
        t_first, n_first = state["first"]
        rest = plan.n_reads - n_first
        rate = rest * win_h * win_w / max(end - t_first, 1e-9) / 1e6
        progress.info("First batch (with tracing) {t_first:.2f} s; the other {rest} "
                      "window(s) {end:.2f} s ({rate:.2f} Mpixel/s of windows).",
                      t_first=t_first - started, rest=rest, end=end - t_first, rate=rate)
    return state["predicted"], state["empty"]


def _bilinear_axis(start, stop, n_src, n_dst):
    """Source indices and weights sampling ``n_src`` pixels at destination
    pixels ``start..stop`` of ``n_dst`` (half-pixel centres, edges clamped)."""
    s = (np.arange(start, stop) + 0.5) * (n_src / n_dst) - 0.5
    s = np.clip(s, 0, n_src - 1)
    i0 = np.floor(s).astype(int)
    i1 = np.minimum(i0 + 1, n_src - 1)
    return i0, i1, (s - i0).astype(np.float32)


def _upsample_rows(probs, r0, r1, height, width):
    """Rows ``r0..r1`` of ``probs`` (t, t, classes) resized bilinearly to
    (height, width), as tf.image.resize would, without the whole result."""
    y0, y1, fy = _bilinear_axis(r0, r1, probs.shape[0], height)
    x0, x1, fx = _bilinear_axis(0, width, probs.shape[1], width)
    rows = probs[y0] * (1 - fy)[:, None, None] + probs[y1] * fy[:, None, None]
    return rows[:, x0] * (1 - fx)[None, :, None] + rows[:, x1] * fx[None, :, None]


def _predict_per_image(plan, run, source, writer, progress):
    tile = plan.window
    grid = plan.grid
    src = source()
    data = raster.gdal_call(src.ds.ReadAsArray, grid.x, grid.y, grid.width, grid.height,
                            buf_xsize=tile, buf_ysize=tile, band_list=src.bands,
                            resample_alg=gdal.GRIORA_Bilinear)
    if data is None:
        raise InputError("GDAL could not read {input}: {gdal_error}.",
                         input=src.ds.GetDescription(),
                         gdal_error=raster.last_error("read error"))
    if data.ndim == 2:
        data = data[None]
    x = (np.moveaxis(data, 0, -1).astype(np.float32) - src.mean) / src.std
    x[~np.isfinite(x)] = 0.0
    progress.info("Per-image mode: {width} x {height} pixels resampled to {tile} x "
                  "{tile}.",
                  width=grid.width, height=grid.height, tile=tile)
    probs = predictors.predict_tta(run, x[None], plan.tta, plan.batch)[0]
    progress(0.3)
    strip = max(1, (1 << 22) // max(grid.width * probs.shape[-1], 1))
    for r0 in range(0, grid.height, strip):
        r1 = min(grid.height, r0 + strip)
        window = raster.Window(grid.x, grid.y + r0, grid.width, r1 - r0)
        _, valid = src.read(window)
        sums = _upsample_rows(probs, r0, r1, grid.height, grid.width)
        writer.write(r0, sums, np.ones(valid.shape, np.float32), ~valid)
        progress(0.3 + 0.7 * r1 / grid.height)
    return 1, 0
