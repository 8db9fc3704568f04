"""Predict Raster: a trained model over a whole scene, in overlapping windows.

Entry points: :func:`predict_raster` (a :class:`PredictParams`) and
:func:`run_job` (the worker's ``"predict"`` task; the same fields as a dict).

Stride mode (the default) never holds the scene in memory:

- Windows of ``tile`` x ``tile`` pixels every ``tile - overlap`` pixels come
  from :func:`.raster.grid_windows` over the scene (or the ``extent``
  sub-grid); the last row and column end flush with the scene edge. A window
  whose size is not a multiple of the network's required divisor (a scene
  smaller than a tile, an odd-sized one) is reflect-padded up to one and the
  padding cut off again.
- A reader thread reads each window with GDAL, marks invalid pixels (a
  band's nodata or NaN, outside the ``mask`` polygons), normalises
  ``(x - mean) / std`` as float32 (invalid pixels -> 0, the training mean)
  and puts it on a small queue (two batches deep) while the network runs the
  current batch, so reading overlaps compute. Windows with no valid pixel are
  not sent to the network.
- The main thread runs batches through one compiled ``tf.function`` (a
  constant batch shape, so it is traced once), weights each window's
  probabilities with :func:`.blending.weight_window` and sums them into a
  :class:`.blending.RowBand` one window high and one scene wide. When the
  next row of windows begins, the finished rows are written inline by GDAL
  windowed writes: argmax -> class values (not channel indices), invalid or
  unpredicted pixels -> ``nodata_value``, and probabilities if asked.
  Memory: ``tile x width x classes`` float32 plus a few batches of windows.

Overlap rule (``overlap=None``): ``max(32, tile // 8)`` pixels, rounded up
to a multiple of the required divisor (the network's total stride) and at
most half a tile. Convolutions near a window edge see padding instead of
neighbours, and the damage reaches further the deeper (more strided) the
network; with this overlap and the blend ramp across it, every pixel's
prediction comes mostly from a window where it lies at least ``overlap / 2``
pixels inside, at a cost of ``(tile / (tile - overlap))^2`` windows (about
1.3x for a 512 tile). Strides that are multiples of the divisor also keep
the windows on the same pooling phase as a whole-image pass.

Per-image mode (``mode="per_image"``, the seed's mode for small photos): the
whole image is resampled by GDAL to ``tile x tile``, predicted once, and the
probabilities resampled back bilinearly, row strip by row strip. Scenes
larger than :data:`PER_IMAGE_LIMIT` pixels a side are refused.

Outputs (written under partial names, renamed when complete, removed on any
error or cancel):

- ``output``: Byte (UInt16 if a class value exceeds 254) tiled DEFLATE
  GeoTIFF with the input's CRS and the (extent) grid's geotransform, nodata
  ``nodata_value`` (default 255), a colour table and category names from the
  model's classes, NEAREST overviews.
- ``output_probability``: one band per class (descriptions = class names),
  AVERAGE overviews. ``probability_format="byte"``: ``round(p * 254)`` so
  0..254 is 0..1 and 255 is nodata; ``"float"``: Float32 0..1, nodata -1.
- ``output_vector``: polygons of the class raster (GeoPackage or Shapefile by
  extension), fields ``class``, ``name``, ``area``; smaller than ``min_area``
  (map units squared) dropped.
"""

import dataclasses
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

from . import blending, drift, options, outputs, raster, sources, vectorize
from .errors import InputError
from .progress import ensure

MODES = tuple(options.names("predict_mode"))
PROBABILITY_FORMATS = tuple(options.names("probability_format"))
PER_IMAGE_LIMIT = 4096
FLOAT_NODATA = -1.0
BYTE_NODATA = 255
CPU_BATCH = 8
# Batch size 0 on a GPU: as many windows as fit a 4 GiB activation budget
# (fits 8 GB cards next to the weights), assuming 768 live float32
# activations per input pixel; at most 64. CPU: 8.
_GPU_BUDGET = 4 << 30
_GPU_BYTES_PER_PIXEL = 4 * 768


@dataclasses.dataclass
class PredictParams:
    """What Predict Raster needs; the field names are the job's keys."""

    input: str
    model: str
    output: str
    bands: Optional[List[int]] = None  # 1-based; None = 1..N for an N-band model
    mode: str = "stride"  # "stride" | "per_image"
    tile_size: int = 0  # 0 = the model's tile_size
    overlap: Optional[int] = None  # None = auto (see the module docstring)
    batch_size: int = 8  # 0 = auto (GPU memory budget; 8 on CPU)
    extent: Optional[List[float]] = None  # [xmin, ymin, xmax, ymax] in the raster's CRS
    mask: Optional[str] = None  # OGR polygons; outside -> nodata
    output_probability: Optional[str] = None
    probability_format: str = "byte"  # "byte" | "float"
    output_vector: Optional[str] = None  # .gpkg or .shp
    min_area: float = 0.0  # map units squared
    nodata_value: int = 255
    # map units per pixel to read the input at (None or 0: its own); web sources need it
    resolution: Optional[float] = None


def run_job(params, progress, emit=None):
    """The worker's ``"predict"`` task: ``params`` is a dict of PredictParams fields."""
    if not isinstance(params, dict):
        raise InputError("The predict job's params must be a JSON object.")
    names = {f.name for f in dataclasses.fields(PredictParams)}
    unknown = sorted(set(params) - names)
    if unknown:
        raise InputError("Unknown prediction parameter(s) {unknown}; expected some of "
                         "{names}.",
                         unknown=", ".join(unknown), names=", ".join(sorted(names)))
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
def auto_overlap(tile, divisor):
    """The default overlap: max(32, tile/8), a multiple of ``divisor``, <= tile/2."""
    overlap = max(32, tile // 8)
    overlap = int(math.ceil(overlap / divisor) * divisor)
    half = (tile // 2) // divisor * divisor
    return max(0, min(overlap, half))


def _divisor(meta):
    value = meta.get("required_divisor")
    if value:
        return int(value)
    try:
        from ..models import catalog

        return int(catalog.required_divisor(meta.get("model"), meta.get("encoder"),
                                            int(meta.get("output_stride") or 16)))
    except (ValueError, TypeError, ImportError):
        return 32


def _round_up(n, k):
    return int(math.ceil(n / k) * k)


def _check_params(p):
    options.check("predict_mode", p.mode, "MODE")
    options.check("probability_format", p.probability_format, "PROBABILITY_FORMAT")
    if not 0 <= int(p.nodata_value) <= 65535:
        raise InputError("The output nodata value {nodata_value} must be in 0..65535.",
                         nodata_value=p.nodata_value)
    if p.tile_size is not None and int(p.tile_size) < 0:
        raise InputError("TILE_SIZE must be 0 (the model's) or positive, not {tile_size}.",
                         tile_size=p.tile_size)
    if p.batch_size is not None and int(p.batch_size) < 0:
        raise InputError("BATCH_SIZE must be 0 (auto) or positive, not {batch_size}.",
                         batch_size=p.batch_size)
    if float(p.min_area or 0) < 0:
        raise InputError("MIN_AREA must not be negative ({min_area}).",
                         min_area=p.min_area)
    paths = [p.output, p.output_probability, p.output_vector]
    given = [os.path.abspath(x) for x in paths if x]
    if len(set(given)) != len(given):
        raise InputError("The class, probability and vector outputs must be different files.")
    if os.path.abspath(p.input) in given:
        raise InputError("An output would overwrite the input {input}.",
                         input=p.input)
    if p.output_vector:
        vectorize.driver_for(p.output_vector)


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


# ---------------------------------------------------------------- network
def _setup_device(tf):
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except (RuntimeError, ValueError):
            pass  # already initialised
    return bool(gpus)


def _batch_size(requested, gpu, tile, bands):
    if requested:
        return int(requested)
    if not gpu:
        return CPU_BATCH
    per_window = tile * tile * (_GPU_BYTES_PER_PIXEL + 4 * bands)
    return int(max(1, min(64, _GPU_BUDGET // per_window)))


def _forward_fn(model, tf):
    @tf.function(reduce_retracing=True)
    def forward(x):
        return model(x, training=False)

    def run(batch):
        y = forward(tf.convert_to_tensor(batch))
        if isinstance(y, (list, tuple)):
            y = y[0]
        return np.asarray(y, dtype=np.float32)

    return run


# ---------------------------------------------------------------- input
class _Source:
    """Reads windows of the (extent) grid: normalised pixels and a valid mask.

    Each thread must use its own instance (GDAL handles are not thread-safe).
    """

    def __init__(self, path, bands, grid, mean, std, mask_path=None):
        self.ds = raster.open_raster(path, role="input raster")
        self.bands = bands
        self.grid = grid
        self.nodata = [self.ds.GetRasterBand(b).GetNoDataValue() for b in bands]
        self.mean = np.asarray(mean, np.float32)
        self.std = np.asarray(std, np.float32)
        self.mask = raster.open_raster(mask_path, role="mask") if mask_path else None

    def read(self, window):
        """``(normalised float32 (h, w, bands), valid bool (h, w))`` of a grid window."""
        absolute = raster.Window(self.grid.x + window.x, self.grid.y + window.y,
                                 window.width, window.height)
        data = raster.read_window(self.ds, absolute, self.bands)
        x, valid = raster.standardise(data, self.mean, self.std, self.nodata)
        if self.mask is not None:
            outside = raster.read_window(self.mask, window)[..., 0] <= 0
            valid &= ~outside
            x[outside] = 0.0
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
    """``(datasource, layers)`` of a mask path, QGIS style ``path|layername=name`` too
    (``layerid=`` and ``subset=`` as well)."""
    path, layer_ref, subset = vectorize.split_vector_path(mask)
    src = raster.gdal_call(ogr.Open, path)
    if src is None or src.GetLayerCount() == 0:
        raise InputError("OGR cannot open the mask {mask} as a vector layer.",
                         mask=mask)
    if layer_ref is None:
        layers = [src.GetLayer(i) for i in range(src.GetLayerCount())]
    else:
        layer = (src.GetLayerByName(layer_ref.strip()) if isinstance(layer_ref, str)
                 else src.GetLayer(layer_ref))
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
    """Reads and normalises windows ahead of the network (a prefetch queue)."""

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
            for window in self.windows:
                x, valid = source.read(window)
                if valid.any():
                    x = _pad(x, *self.shape)
                else:
                    x = None
                if not self._put((window, x, valid)):
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
class _Writer:
    """Turns finished rows of summed probabilities into output pixels."""

    def __init__(self, p, grid, geotransform, projection, classes):
        self.values = np.array([c[0] for c in classes])
        dtype = np.uint8 if self.values.max() <= 254 and p.nodata_value <= 255 else np.uint16
        if p.nodata_value in self.values:
            raise InputError("The output nodata value {nodata_value} is also a class "
                             "value; choose another NODATA value.",
                             nodata_value=p.nodata_value)
        self.nodata = int(p.nodata_value)
        self.lut = self.values.astype(dtype)
        self.counts = np.zeros(int(self.values.max()) + 1, np.int64)
        self.ds = raster.create(outputs.partial_path(p.output), grid.width, grid.height, 1,
                                dtype, geotransform, projection, nodata=self.nodata)
        self.band = self.ds.GetRasterBand(1)
        if dtype == np.uint8:
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

    def write(self, top, sums, weights, invalid, chunk=64):
        """Write rows ``top..top + len(sums)`` (the RowBand.flush callback),
        ``chunk`` rows at a time to keep the temporaries small."""
        for r in range(0, len(sums), chunk):
            self._write(top + r, sums[r:r + chunk], weights[r:r + chunk],
                        invalid[r:r + chunk])

    def _write(self, top, sums, weights, invalid):
        nodata = invalid | (weights <= 0)
        index = np.argmax(sums, axis=-1)
        out = self.lut[index]
        out[nodata] = self.nodata
        self.band.WriteArray(out, 0, int(top))
        self.counts += np.bincount(out[~nodata].ravel(), minlength=self.counts.size)[
            : self.counts.size]
        if self.prob is not None:
            p = sums / np.maximum(weights, 1e-12)[..., None]
            if self.float:
                p = p.astype(np.float32)
            else:
                p = np.clip(np.rint(p * 254.0), 0, 254).astype(np.uint8)
            p[nodata] = self.prob_nodata
            for i in range(p.shape[-1]):
                self.prob.GetRasterBand(i + 1).WriteArray(p[..., i], 0, int(top))

    def pixels(self):
        return {int(v): int(self.counts[v]) for v in self.values}

    def close(self, progress):
        """Overviews, then close the files (still under their partial names)."""
        _overviews(self.ds, "NEAREST", progress.sub(0.0, 0.5))
        self.ds.FlushCache()
        if self.prob is not None:
            _overviews(self.prob, "AVERAGE", progress.sub(0.5, 1.0))
            self.prob.FlushCache()
        self.ds = self.band = self.prob = None

    def abandon(self):
        self.ds = self.band = self.prob = None


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

    callback = vectorize.GdalProgress(progress)
    old = gdal.GetThreadLocalConfigOption("COMPRESS_OVERVIEW", None)
    gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", "DEFLATE")
    try:
        ds.BuildOverviews(method, levels, callback=callback)
    finally:
        gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", old)
    callback.reraise()


# ---------------------------------------------------------------- the run
def predict_raster(params, progress=None):
    """Predict ``params.input`` with ``params.model``; see the module docstring.

    ``params.input`` may be a web service description (engine/sources.py);
    with ``params.resolution`` (or for a web source) it is read through a
    warped VRT on that grid over ``params.extent``, window by window.

    Returns ``{"output", "output_probability", "output_vector", "classes",
    "pixels": {value: count}, "windows", "seconds"}``.
    """
    p = params if isinstance(params, PredictParams) else PredictParams(**params)
    if not p.resolution and not sources.needs_grid(p.input):
        return _predict_raster(p, progress)
    _check_params(p)
    folder = tempfile.mkdtemp(prefix="semseg-source-")
    try:
        path = sources.warped_path(p.input, folder, p.resolution, p.extent,
                                   role="input raster")
        return _predict_raster(dataclasses.replace(p, input=path, resolution=None), progress,
                               name=sources.describe(p.input))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _predict_raster(p, progress, name=None):
    from . import modelfile

    start = time.perf_counter()
    progress = ensure(progress)
    _check_params(p)
    meta = modelfile.read_metadata(p.model)
    ds = raster.open_raster(p.input, role="input raster")
    bands = _select_bands(ds, p, meta)
    grid = _grid(ds, p.extent, p.input)
    if p.mode == "per_image" and max(grid.width, grid.height) > PER_IMAGE_LIMIT:
        raise InputError(
            "The scene ({width} x {height} pixels) is too large for per-image mode (at "
            "most {per_image_limit} pixels a side); use stride mode.",
            width=grid.width, height=grid.height, per_image_limit=PER_IMAGE_LIMIT)
    n = len(bands)
    mean = np.asarray(meta.get("mean") if meta.get("mean") is not None else [0.0] * n,
                      np.float32)
    std = np.asarray(meta.get("std") if meta.get("std") is not None else [1.0] * n,
                     np.float32)
    if mean.size != n or std.size != n:
        raise InputError("The model file {model} has normalisation statistics for {size} "
                         "band(s), not {n}.",
                         model=p.model, size=mean.size, n=n)
    std = np.where(std > 0, std, 1.0).astype(np.float32)
    if p.mask:
        _open_mask(p.mask)
    drift.warn_input(ds, bands, meta, name or sources.describe(p.input), progress, grid)
    classes = _classes(meta)
    divisor = _divisor(meta)
    tile = int(p.tile_size or meta.get("tile_size") or 512)
    tile = max(divisor, _round_up(tile, divisor))
    geotransform = raster.window_geotransform(ds.GetGeoTransform(), grid)
    projection = ds.GetProjection()
    ds = None

    finals = [x for x in (p.output, p.output_probability, p.output_vector) if x]
    temp = tempfile.mkdtemp(prefix="semseg-predict-")
    writer = None
    try:
        import tensorflow as tf

        gpu = _setup_device(tf)
        model, meta = modelfile.load_model(p.model)
        mask_path = None
        if p.mask:
            mask_path = _rasterize_mask(p.mask, geotransform, projection, grid.width,
                                        grid.height, temp)
        writer = _Writer(p, grid, geotransform, projection, classes)

        def source():
            return _Source(p.input, bands, grid, mean, std, mask_path)

        run = dict(tile=tile, divisor=divisor, gpu=gpu, classes=len(classes), bands=n)
        if p.mode == "stride":
            n_windows = _predict_stride(p, model, tf, source, grid, writer, run,
                                        progress.sub(0.0, 0.9))
        else:
            n_windows = _predict_per_image(p, model, tf, source, grid, writer, run,
                                           progress.sub(0.0, 0.9))
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
        progress(1.0)  # a cancel now still removes everything
        for path in finals:
            outputs.finish(path)
    except BaseException:
        if writer is not None:
            writer.abandon()
        outputs.discard_all(finals)
        raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    seconds = time.perf_counter() - start
    progress.info("Predicted {width} x {height} pixels in {n_windows} window(s), "
                  "{seconds:.1f} s.",
                  width=grid.width, height=grid.height, n_windows=n_windows, seconds=seconds)
    return {
        "output": p.output,
        "output_probability": p.output_probability or None,
        "output_vector": p.output_vector or None,
        "classes": meta["classes"],
        "pixels": writer.pixels(),
        "windows": n_windows,
        "seconds": round(seconds, 3),
    }


def _predict_stride(p, model, tf, source, grid, writer, run, progress):
    tile, divisor = run["tile"], run["divisor"]
    if p.overlap is None:
        overlap = auto_overlap(tile, divisor)
    else:
        overlap = int(p.overlap)
        if not 0 <= overlap < tile:
            raise InputError("OVERLAP must be in 0..{max_overlap} for a {tile}-pixel tile, not "
                             "{overlap}.",
                             max_overlap=tile - 1, tile=tile, overlap=overlap)
    windows = raster.grid_windows(grid.width, grid.height, tile, tile - overlap)
    win_h, win_w = windows[0].height, windows[0].width
    shape = (_round_up(win_h, divisor), _round_up(win_w, divisor))
    batch = _batch_size(p.batch_size, run["gpu"], max(shape), run["bands"])
    batch = max(1, min(batch, len(windows)))
    weights = blending.weight_window(win_h, win_w, overlap)
    band = blending.RowBand(win_h, grid.width, run["classes"])
    forward = _forward_fn(model, tf)
    progress.info("Stride mode: {n_windows} window(s) of {win_w} x {win_h} pixels "
                  "(network input {input_w} x {input_h}), overlap {overlap}, batch "
                  "{batch}, {device}.",
                  n_windows=len(windows), win_w=win_w, win_h=win_h, input_w=shape[1],
                  input_h=shape[0], overlap=overlap, batch=batch,
                  device="GPU" if run["gpu"] else "CPU")
    reader = _Reader(source, windows, shape, 2 * batch)
    started = time.perf_counter()
    reader.start()
    pending, arrays, done = [], [], 0
    row = 0
    first = []  # (time, windows done) after the first batch, which also traces the network

    def drain():
        nonlocal done, row
        if arrays:
            x = np.stack(arrays)
            if len(arrays) < batch:  # keep one batch shape: one trace
                x = np.concatenate([x, np.zeros((batch - len(arrays),) + x.shape[1:],
                                                x.dtype)])
            probs = forward(x)
        k = 0
        for window, x_in, valid in pending:
            if window.y != row:
                band.flush(window.y, writer.write)
                row = window.y
            if x_in is None:
                band.mark_invalid(window.x, window.y, valid)
            else:
                band.add(window.x, window.y, probs[k], weights, valid)
                k += 1
        done += len(pending)
        pending.clear()
        arrays.clear()
        if not first:
            first.append((time.perf_counter(), done))
        progress(done / len(windows))

    try:
        for item in reader.items():
            pending.append(item)
            if item[1] is not None:
                arrays.append(item[1])
            if len(arrays) == batch or len(pending) >= 4 * batch:
                drain()
        drain()
        band.flush(grid.height, writer.write)
    finally:
        reader.close()
    end = time.perf_counter()
    t_first, n_first = first[0]
    rest = len(windows) - n_first
    rate = rest * win_h * win_w / max(end - t_first, 1e-9) / 1e6
    progress.info("First batch (with tracing) {t_first:.2f} s; the other {rest} "
                  "window(s) {end:.2f} s ({rate:.2f} Mpixel/s of windows).",
                  t_first=t_first - started, rest=rest, end=end - t_first, rate=rate)
    return len(windows)


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


def _predict_per_image(p, model, tf, source, grid, writer, run, progress):
    tile = run["tile"]
    src = source()
    ds = src.ds
    data = raster.gdal_call(ds.ReadAsArray, grid.x, grid.y, grid.width, grid.height,
                            buf_xsize=tile, buf_ysize=tile, band_list=src.bands,
                            resample_alg=gdal.GRIORA_Bilinear)
    if data is None:
        raise InputError("GDAL could not read {input}: {gdal_error}.",
                         input=p.input, gdal_error=raster.last_error("read error"))
    if data.ndim == 2:
        data = data[None]
    x = (np.moveaxis(data, 0, -1).astype(np.float32) - src.mean) / src.std
    x[~np.isfinite(x)] = 0.0
    progress.info("Per-image mode: {width} x {height} pixels resampled to {tile} x "
                  "{tile}.",
                  width=grid.width, height=grid.height, tile=tile)
    probs = _forward_fn(model, tf)(x[None])[0]
    progress(0.3)
    strip = max(1, (1 << 22) // max(grid.width * run["classes"], 1))
    for r0 in range(0, grid.height, strip):
        r1 = min(grid.height, r0 + strip)
        window = raster.Window(0, r0, grid.width, r1 - r0)
        _, valid = src.read(window)
        sums = _upsample_rows(probs, r0, r1, grid.height, grid.width)
        writer.write(r0, sums, np.ones(valid.shape, np.float32), ~valid)
        progress(0.3 + 0.7 * r1 / grid.height)
    return 1

