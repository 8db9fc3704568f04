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

Two modes, each a module of its own:

- Stride mode (the default, :mod:`.stride`) never holds the scene in
  memory: windows anchored to the scene's pixel grid, read ahead by a
  thread (:class:`_Source` here reads one: invalid pixels are a band's
  nodata or NaN, or outside the ``mask`` polygons), blended into a row band
  one window high and written row by row.
- Per-image mode (``mode="per_image"``, :mod:`.per_image`, the seed's mode
  for small photos): the whole image resampled to one window.

This module checks the parameters, makes the plan (:func:`plan_prediction`:
the plan and the :class:`RunFacts` the run needs besides it), and runs the
steps of :func:`_predict_raster` in order.

Outputs (written under partial names, renamed when complete, removed on any
error or cancel; the rasters by :class:`.output_rasters.Writer`):

- ``output``: Byte tiled DEFLATE GeoTIFF with the input's CRS and the
  (extent) grid's geotransform, nodata 255 (:data:`.labels.IGNORE`, which no
  class value takes: model files hold values 0..254), a colour table and
  category names from the model's classes, NEAREST overviews, and the plan's
  description (window_plan.describe_plan: the same on every machine) as the
  metadata item ``SEMSEG_PLAN``; the model file (``SEMSEG_MODEL``) and where
  it was trained (``SEMSEG_TRAINING_FOOTPRINTS``, data/footprints.py), which
  Evaluate reads to warn when its reference lies there.
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
  model's training tile) with the highest mean normalised entropy, ranked:
  where labelling helps the model most (:mod:`.label_next`: the cells and
  their fields).
"""

import dataclasses
import os
import shutil
import tempfile
import time
from typing import List, Optional, Tuple

import numpy as np
from osgeo import gdal, ogr

from .. import backends, options, outputs
from ..data import footprints, raster, sources, vectorize
from . import drift, per_image, predictors, stride, window_plan
from ..errors import InputError
from .label_next import write_label_next
from .output_rasters import Writer
from .window_plan import auto_overlap
from ..progress import ensure

__all__ = ["MODES", "PROBABILITY_FORMATS", "TTA_MODES", "BACKENDS", "LABEL_NEXT_COUNT",
           "PredictParams", "RunFacts", "run_job", "plan_prediction", "predict_raster",
           "auto_overlap"]

MODES = tuple(options.names("predict_mode"))
PROBABILITY_FORMATS = tuple(options.names("probability_format"))
TTA_MODES = tuple(options.names("tta"))
BACKENDS = tuple(options.names("predict_backend"))
LABEL_NEXT_COUNT = 20
PLAN_METADATA = "SEMSEG_PLAN"  # the class raster's metadata item: the plan's description


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
    memory_budget: Optional[float] = 0  # MiB the plan may use; 0 (or None) = the default, 512
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
    window_plan.budget_bytes(p.memory_budget)
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
    """The (extent) sub-grid as a Window of the raster, snapped outward to its
    own pixels (sources.pixel_window)."""
    return sources.pixel_window(ds, extent, path)


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



# ---------------------------------------------------------------- the plan
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


@dataclasses.dataclass(frozen=True)
class RunFacts:
    """What the run needs besides the plan, checked by :func:`plan_prediction`."""

    params: PredictParams
    meta: dict  # the model file's metadata
    bands: List[int]  # the input's bands the model reads, 1-based
    mean: np.ndarray  # float32 per band
    std: np.ndarray  # float32 per band (zeros replaced by 1)
    classes: List[Tuple[int, str, Tuple[int, int, int]]]  # (value, name, colour)
    backend: str  # "tensorflow" | "onnxruntime"
    scene_geotransform: Tuple[float, ...]  # the input's
    projection: str  # the input's CRS (WKT)

    def geotransform(self, window):
        """The geotransform of a window of the scene."""
        return raster.window_geotransform(self.scene_geotransform, window)


def plan_prediction(params, progress=None, budget=None, name=None):
    """Check ``params`` and make the window plan, without TensorFlow.

    ``budget``: bytes the plan may use, instead of ``params.memory_budget``.
    Returns ``(plan, facts)``: a :class:`RunFacts` with what the run needs
    besides the plan (metadata, bands, statistics, classes, georeference).
    Creates no file.
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
    plan = window_plan.make_plan(window_plan.PlanRequest(
        meta=meta, scene=(ds.RasterXSize, ds.RasterYSize), grid=grid, n_bands=len(bands),
        n_classes=len(classes), mode=p.mode, tile_size=p.tile_size, overlap=p.overlap,
        batch_size=p.batch_size, tta=p.tta,
        budget=budget or window_plan.budget_bytes(p.memory_budget)))
    facts = RunFacts(params=p, meta=meta, bands=bands, mean=mean, std=std, classes=classes,
                     backend=predictors.resolve_backend(p.model, p.backend),
                     scene_geotransform=ds.GetGeoTransform(), projection=ds.GetProjection())
    return plan, facts


# ---------------------------------------------------------------- the run
def predict_raster(params, progress=None, predictor=None):
    """Predict ``params.input`` with ``params.model``; see the module docstring.

    The scene's grid is the grid (engine/data/sources.py): a raster read at its
    own resolution (``params.resolution`` None, 0 or its pixel size) is
    predicted on its own pixels, EXTENT choosing whole pixels of it; at
    another resolution it is read through a warped VRT of the whole raster on
    the grid of that resolution anchored at its corner, EXTENT choosing
    pixels of that grid; so parts predicted with EXTENT mosaic into one run
    either way. A web source (a service description) is read through a
    warped VRT on the grid of multiples of ``params.resolution`` over
    ``params.extent``, window by window. ``predictor``: see
    :func:`_predict_raster`.
    """
    p = params if isinstance(params, PredictParams) else PredictParams(**params)
    web = sources.needs_grid(p.input)
    if not web and (not p.resolution or sources.own_grid(
            raster.open_raster(p.input, role="input raster"), p.resolution)):
        return _predict_raster(dataclasses.replace(p, resolution=None), progress, predictor)
    _check_params(p)
    folder = tempfile.mkdtemp(prefix="semseg-source-")
    try:
        path = sources.warped_path(p.input, folder, p.resolution, p.extent if web else None,
                                   role="input raster")
        return _predict_raster(dataclasses.replace(p, input=path, resolution=None,
                                                   extent=None if web else p.extent),
                               progress, predictor, name=sources.describe(p.input))
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
    finals = _outputs(facts.params)
    temp = tempfile.mkdtemp(prefix="semseg-predict-")
    writer = reader = None
    try:
        make_source = _source_maker(facts, plan, temp)
        writer = Writer(facts.params, plan, facts.geotransform(plan.grid), facts.projection,
                        facts.classes)
        writer.ds.SetMetadataItem(PLAN_METADATA, window_plan.describe_plan(plan))
        # the model and where it learnt, for Evaluate's check of its reference
        writer.ds.SetMetadataItem(footprints.MODEL_ITEM, os.path.abspath(facts.params.model))
        if facts.meta.get("training_footprints"):
            writer.ds.SetMetadataItem(footprints.FOOTPRINTS_ITEM, footprints.footprints_text(
                facts.meta["training_footprints"]))
        if plan.mode == "stride":  # read the first windows while the network loads
            reader = stride.start_reader(plan, make_source)
        if predictor is None:
            plan, predictor = _load_predictor(facts, plan, progress)
        else:
            plan = _fit_batch(plan, _free_ram(), len(facts.bands), progress)
        run = predictors.Halving(predictor, plan.batch, progress)
        if plan.mode == "stride":
            counts = stride.predict_windows(plan, run, reader, writer, len(facts.classes),
                                            progress.sub(0.0, 0.9))
        else:
            counts = per_image.predict_image(plan, run, make_source, writer,
                                             progress.sub(0.0, 0.9))
        writer.close(progress.sub(0.9, 0.95))
        _write_vectors(facts, plan, writer, progress.sub(0.95, 1.0))
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
    return _result(facts, plan, writer, run, counts, time.perf_counter() - start, progress)


def _source_maker(facts, plan, folder):
    """A function that makes the run's :class:`_Source` (one per thread); the
    mask, if any, is rasterized on the windows' hull into ``folder`` first."""
    p = facts.params
    mask_path = None
    if p.mask:
        mask_path = _rasterize_mask(p.mask, facts.geotransform(plan.hull), facts.projection,
                                    plan.hull.width, plan.hull.height, folder)

    def make_source():
        return _Source(p.input, facts.bands, plan.hull, facts.mean, facts.std, mask_path)

    return make_source


def _load_predictor(facts, plan, progress):
    """Import the backend and load the model file's network; an automatic batch
    may be lowered (never raised) for the free memory of the GPU or, without
    one, of the machine: the output stays the same. Returns ``(plan, predictor)``."""
    model, backend, n_bands = facts.params.model, facts.backend, len(facts.bands)
    if backend == "onnxruntime":
        progress.info("Loading ONNX Runtime and the model {model}.", model=model)
    else:
        progress.info("Loading Keras and the model {model}.", model=model)
    loaded = time.perf_counter()
    free = predictors.gpu_budget() if predictors.gpu_present(backend) else _free_ram()
    plan = _fit_batch(plan, free, n_bands, progress)
    predictor, _ = predictors.load_predictor(model, plan.input_shape, n_bands, backend,
                                             progress)
    if backend == "onnxruntime":
        used = list(getattr(predictor, "providers", None) or ["?"])
        progress.info("ONNX Runtime and the model loaded in {seconds:.1f} s; it runs on "
                      "{provider} (session providers: {providers}).",
                      seconds=time.perf_counter() - loaded, provider=used[0],
                      providers=", ".join(used))
    else:
        progress.info("Keras and the model loaded in {seconds:.1f} s.",
                      seconds=time.perf_counter() - loaded)
        backends.log_backend(progress)
    return plan, predictor


def _free_ram():
    """Bytes of RAM an automatic batch may use now (None: unknown)."""
    available = window_plan.available_memory()
    return int(available * window_plan.FREE_RAM_SHARE) if available else None


def _fit_batch(plan, free, n_bands, progress):
    """The plan with its automatic batch lowered (never raised) to fit ``free``
    bytes; the output does not depend on the batch."""
    lowered = plan.lower_batch(free, n_bands)
    if lowered.batch < plan.batch:
        progress.info("Batch lowered from {planned} to {batch} for the {free_mb} MiB of free "
                      "memory; the output is the same.",
                      planned=plan.batch, batch=lowered.batch, free_mb=free >> 20)
    return lowered


def _write_vectors(facts, plan, writer, progress):
    """The vector outputs (under partial names): polygons of the closed class
    raster, and the "label next" cells the writer gathered."""
    p = facts.params
    if p.output_vector:
        partial = outputs.partial_path(p.output)
        class_ds = raster.open_raster(partial, role="class raster")
        names = {v: name for v, name, _ in facts.classes}
        layer = os.path.splitext(os.path.basename(p.output_vector))[0]
        vectorize.polygonize(class_ds.GetRasterBand(1),
                             outputs.partial_path(p.output_vector), names,
                             p.min_area, layer_name=layer, progress=progress)
        class_ds = None
    if p.output_label_next:
        write_label_next(p.output_label_next, writer.cells, int(p.label_next_count),
                         facts.classes, facts.scene_geotransform, facts.projection, plan.grid)


def output_fields(p, label_next=True):
    """The result's output paths of ``p`` (a PredictParams): None for those not
    asked for (and for label next without ``label_next``)."""
    return {
        "output": p.output,
        "output_probability": p.output_probability or None,
        "output_confidence": p.output_confidence or None,
        "output_entropy": p.output_entropy or None,
        "output_vector": p.output_vector or None,
        "output_label_next": (p.output_label_next or None) if label_next else None,
    }

def _result(facts, plan, writer, run, counts, seconds, progress):
    """Log the run's summary and return the result (see :func:`_predict_raster`)."""
    p = facts.params
    predicted, empty = counts
    progress.info("Predicted {width} x {height} pixels in {n_windows} window(s) ({empty} "
                  "empty and {outside} outside the extent skipped), {seconds:.1f} s.",
                  width=plan.grid.width, height=plan.grid.height, n_windows=predicted,
                  empty=empty, outside=plan.skipped, seconds=seconds)
    return {
        **output_fields(p),
        "classes": facts.meta["classes"],
        "pixels": writer.pixels(),
        "windows": predicted,
        "windows_skipped": empty + plan.skipped,
        "windows_empty": empty,
        "windows_outside_extent": plan.skipped,
        "batch_halvings": run.halvings,
        "plan": window_plan.describe_tile(plan),
        "seconds": round(seconds, 3),
    }
