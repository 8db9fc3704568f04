"""Export Model: a model file from Train Model as a standalone ONNX file.

The ``.keras`` file needs this plugin's ``models`` package (its custom layers)
to load; the ONNX file needs only ONNX Runtime, so other tools (Deepness,
ONNX Runtime in any language, a server) can run the network.

Two layouts:

- **Deepness** (``deepness=True``, the default, when the model allows it):
  NCHW input ``image`` of shape ``(batch, bands, tile, tile)`` and output
  ``probabilities`` ``(batch, classes, tile, tile)``: what the Deepness plugin
  (PUTvision) feeds and reads. Deepness takes its tile size from the input's
  last dimension, so height and width are fixed to the model's tile size; the
  batch stays dynamic. The graph itself is exported for any height and width
  and only its declared input and output shapes fix the tile (``any_size`` in
  the ``onnx`` entry below): Deepness 0.6.5 cannot load a model whose input is
  not fixed (its dock widget sets the tile size from the input's last
  dimension, and its tiles are asserted to be that size), while Predict Raster
  frees the declared size (onnx_backend.free_spatial_dims) and runs the file
  at the windows it plans for the ``.keras`` file, so both give one answer.
  The file carries Deepness's ``metadata_props`` keys,
  each a JSON value: ``model_type`` ("Segmentor"), ``class_names``
  (``{"0": name, ...}``, channel order), ``tile_size``, ``tiles_overlap``
  (percent; this plugin's automatic overlap), ``resolution`` (cm/px, when the
  ground resolution is known), ``standardization_mean`` and
  ``standardization_std``. Deepness divides the pixels by 255 before it
  standardises, so the mean and std are stored divided by 255:
  ``(x/255 - mean/255) / (std/255) == (x - mean) / std``, our own
  normalisation. ``seg_thresh`` 0 and ``seg_small_segment`` 0: Deepness's
  "Load default parameters" then switches off its probability threshold
  (default 0.5: classes below it become class 0) and its median filter over
  class numbers (default 9 px), so its map is the argmax Predict Raster gives.
- **Plain** (``deepness=False``, or a model Deepness cannot feed): NHWC input
  ``image`` of shape ``(batch, height, width, bands)``, every dimension
  dynamic, output ``probabilities`` ``(batch, height, width, classes)``:
  the Keras network as it is; the caller normalises ``(x - mean) / std``.

Both carry the whole model metadata (semseg.json, plus an ``onnx`` entry with
the layout, tensor names, opset, ``tile_size`` (the window Predict Raster must
use: None, any multiple of the divisor), ``declared_tile_size`` (the fixed
input of the Deepness layout) and ``any_size``) as the JSON property
``semseg``, so the file stays self-describing.

Opset 15: tf2onnx's preferred (most tested) opset; ONNX Runtime runs it from
1.10 on (2021), and Deepness pins onnxruntime 1.12.1 - 1.17.0. Nothing in
these networks (convolutions, resizes, softmax) needs a newer one.

The export is planned from the metadata alone (no TensorFlow), then Keras
loads the file in safe mode (modelfile.load_model), Keras's own ONNX export
(tf2onnx on TensorFlow) writes it, ``onnx`` adds the metadata, and ONNX
Runtime checks the result against Keras on one batch before the file is moved
into place.
"""

import dataclasses
import json
import math
import os
from typing import Optional

import numpy as np

from .. import options, outputs
from ..formats import dataset_files, modelfile
from ..errors import InputError, SegError
from ..jsonable import jsonable
from ..progress import ensure
from .window_plan import auto_overlap

OPSET = 15
SUFFIX = ".onnx"
INPUT_NAME = "image"
OUTPUT_NAME = "probabilities"
METADATA_KEY = "semseg"
NHWC, NCHW = "NHWC", "NCHW"
# The GDAL data types Deepness reads into numpy (its processing_utils).
DEEPNESS_DATA_TYPES = ("Byte", "UInt16", "UInt32", "Int16", "Int32", "Float32", "Float64")
DEEPNESS_MODEL_TYPE = "Segmentor"
# What Deepness's "Load default parameters" sets for a Segmentor beyond the
# tile, overlap and resolution: 0 switches its probability threshold and its
# small-segment (median filter) post-processing off, so that its map is the
# plain argmax Predict Raster writes.
DEEPNESS_SEGMENTATION_DEFAULTS = {"seg_thresh": 0, "seg_small_segment": 0}
# Largest difference between ONNX Runtime's and Keras's probabilities the
# export accepts (float32 arithmetic in another order differs by ~1e-6).
TOLERANCE = 1e-4


@dataclasses.dataclass(frozen=True)
class ExportParams:
    model: str
    output: str
    deepness: bool = True
    resolution: Optional[float] = None  # cm/px for Deepness; None or 0 = from the scenes
    opset: int = OPSET
    verify: bool = True

    @classmethod
    def from_dict(cls, values):
        return cls(**options.job_params(cls, values, "export"))


@dataclasses.dataclass(frozen=True)
class ExportPlan:
    """What will be written, decided from the metadata alone."""

    layout: str
    bands: int
    n_classes: int
    tile_size: Optional[int]  # fixed height and width (Deepness), None = dynamic
    deepness: bool
    refusals: tuple  # InputErrors: why the Deepness layout was refused
    properties: dict  # ONNX metadata_props, str -> str (JSON values)

    @property
    def input_shape(self):
        """The input shape the file declares (Deepness reads its tile from it)."""
        if self.layout == NCHW:
            return (None, self.bands, self.tile_size, self.tile_size)
        return (None, None, None, self.bands)

    @property
    def graph_shape(self):
        """The input shape the graph is exported for: any height and width."""
        if self.layout == NCHW:
            return (None, self.bands, None, None)
        return (None, None, None, self.bands)


# ---------------------------------------------------------------- plan
def _statistics(meta):
    mean = [float(v) for v in (meta.get("mean") or [])]
    std = [float(v) if float(v) > 0 else 1.0 for v in (meta.get("std") or [])]
    return mean, std


def deepness_refusals(meta):
    """InputErrors saying why Deepness cannot reproduce this model's input
    (empty when it can)."""
    refusals = []
    bands = int(meta.get("bands") or 0)
    data_type = str(meta.get("data_type") or "")
    if data_type and data_type not in DEEPNESS_DATA_TYPES:
        refusals.append(InputError(
            "Deepness reads only {types} rasters, and this model was trained on {data_type} "
            "pixels.", types=", ".join(DEEPNESS_DATA_TYPES), data_type=data_type))
    mean, std = _statistics(meta)
    if bands < 1 or len(mean) != bands or len(std) != bands:
        refusals.append(InputError(
            "The model's metadata gives mean/std for {n_mean}/{n_std} bands but {bands} "
            "bands: Deepness could not normalise the pixels as the model expects.",
            n_mean=len(mean), n_std=len(std), bands=bands))
    tile = meta.get("tile_size")
    divisor = int(meta.get("required_divisor") or 1)
    if not isinstance(tile, int) or tile < 1 or tile % divisor:
        refusals.append(InputError(
            "Deepness feeds tiles of one fixed size, and the model's tile size {tile_size} "
            "is not a valid input size (a multiple of {divisor}).",
            tile_size=repr(tile), divisor=divisor))
    return refusals


def tiles_overlap_percent(tile, divisor):
    """Predict Raster's automatic overlap for ``tile``, in percent of the tile."""
    return int(round(100.0 * auto_overlap(int(tile), int(divisor)) / int(tile)))


def deepness_properties(meta, resolution_cm=None):
    """Deepness's metadata_props (str -> JSON text) for ``meta``."""
    int(meta["bands"])  # a metadata without its band count is refused here
    mean, std = _statistics(meta)
    tile = int(meta["tile_size"])
    props = {
        "model_type": DEEPNESS_MODEL_TYPE,
        "class_names": {str(i): str(c.get("name") or f"class {c.get('value', i)}")
                        for i, c in enumerate(meta["classes"])},
        "tile_size": tile,
        "tiles_overlap": tiles_overlap_percent(tile, int(meta.get("required_divisor") or 1)),
        "standardization_mean": [m / 255.0 for m in mean],
        "standardization_std": [s / 255.0 for s in std],
        **DEEPNESS_SEGMENTATION_DEFAULTS,
    }
    if resolution_cm:
        props["resolution"] = float(resolution_cm)
    return {key: json.dumps(value) for key, value in props.items()}


def plan_export(p, meta, resolution_cm=None):
    """The layout and metadata of the ONNX file for ``p`` and the model's ``meta``."""
    bands = int(meta.get("bands") or len(meta.get("mean") or []) or 0)
    if bands < 1:
        raise InputError("The metadata of {path} gives no band count.", path=p.model)
    refusals = tuple(deepness_refusals(meta)) if p.deepness else ()
    deepness = bool(p.deepness) and not refusals
    properties = deepness_properties(meta, resolution_cm) if deepness else {}
    layout = NCHW if deepness else NHWC
    tile = int(meta["tile_size"]) if deepness else None
    return ExportPlan(layout=layout, bands=bands, n_classes=len(meta["classes"]),
                      tile_size=tile, deepness=deepness, refusals=refusals,
                      properties=properties)


def ground_resolution_cm(meta):
    """The training scenes' pixel size in cm, when every scene of the dataset the
    model was trained on is still readable, projected in linear units, with square
    pixels of one size; else None."""
    folder = meta.get("dataset")
    path = os.path.join(folder, dataset_files.DATASET_JSON) if folder else None
    if not path or not os.path.isfile(path):
        return None
    try:
        sources = dataset_files.load_description(path).get("sources") or []
    except SegError:
        return None
    sizes = []
    for source in sources:
        size = _pixel_size_cm(source.get("image") if isinstance(source, dict) else None)
        if size is None:
            return None
        sizes.append(size)
    if not sizes or max(sizes) - min(sizes) > 1e-3 * max(sizes):
        return None
    return float(round(sum(sizes) / len(sizes), 6))


def _pixel_size_cm(image):
    from osgeo import gdal, osr

    if not image or not os.path.exists(image):
        return None
    with _gdal_quiet():
        ds = gdal.Open(image)
        if ds is None:
            return None
        gt, wkt = ds.GetGeoTransform(can_return_null=True), ds.GetProjection()
        ds = None
    if not gt or not wkt or gt[2] or gt[4] or abs(abs(gt[1]) - abs(gt[5])) > 1e-6 * abs(gt[1]):
        return None
    srs = osr.SpatialReference()
    if srs.ImportFromWkt(wkt) != 0 or not srs.IsProjected():
        return None
    return abs(gt[1]) * srs.GetLinearUnits() * 100.0


class _gdal_quiet:
    """GDAL errors as return values (None), whatever mode the caller set."""

    def __enter__(self):
        from osgeo import gdal

        gdal.PushErrorHandler("CPLQuietErrorHandler")
        self._exceptions = gdal.GetUseExceptions()
        if self._exceptions:
            gdal.DontUseExceptions()

    def __exit__(self, *exc):
        from osgeo import gdal

        if self._exceptions:
            gdal.UseExceptions()
        gdal.PopErrorHandler()
        return False


# ---------------------------------------------------------------- export
def export(p, progress=None):
    """Write ``p.model`` as ONNX to ``p.output``; returns the result dict."""
    progress = ensure(progress)
    output = os.path.abspath(os.fspath(p.output or ""))
    if not p.output or not output.lower().endswith(SUFFIX):
        raise InputError("The ONNX file {path} must have the {suffix} extension.",
                         path=p.output, suffix=SUFFIX)
    outputs.check_writable(output)
    if not 13 <= int(p.opset) <= 18:
        raise InputError("ONNX opset {opset} is not supported here; use 13 to 18.",
                         opset=p.opset)
    meta = modelfile.read_metadata(p.model)
    resolution = float(p.resolution) if p.resolution else None
    if p.deepness and resolution is None:
        resolution = ground_resolution_cm(meta)
    plan = plan_export(p, meta, resolution)
    _log_plan(progress, p, plan, meta, resolution)
    progress(0.05)

    import keras  # worker side only: after the plan

    model, meta = modelfile.load_model(p.model)
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise InputError("The model file {path} has {n_in} inputs and {n_out} outputs; "
                         "only one of each can be exported.",
                         path=p.model, n_in=len(model.inputs), n_out=len(model.outputs))
    net = _layout_model(model, plan)
    progress(0.15)
    progress.info("Converting {model} to ONNX (opset {opset}, {layout} input {shape}).",
                  model=model.name, opset=int(p.opset), layout=plan.layout,
                  shape=_shape_text(plan.input_shape))
    with outputs.writing(output) as partial:
        # On TensorFlow, Keras makes this the tf.TensorSpec that tf2onnx converts.
        spec = keras.InputSpec(shape=plan.graph_shape, dtype="float32", name=INPUT_NAME)
        net.export(partial, format="onnx", verbose=False, opset_version=int(p.opset),
                   input_signature=[spec])
        progress(0.75)
        progress.check()
        _finish_onnx(partial, plan, meta, p)
        progress(0.85)
        difference = _verify(partial, net, plan) if p.verify else None
        progress.check()
    if plan.deepness:
        progress.info("Wrote {output}: NCHW input of {tile_size} x {tile_size} pixels, "
                      "ready for Deepness.", output=output, tile_size=plan.tile_size)
    else:
        progress.info("Wrote {output}: plain ONNX, NHWC input of any size.", output=output)
    progress(1.0)
    return {
        "output": output,
        "layout": plan.layout,
        "deepness": plan.deepness,
        "deepness_refused": [str(r) for r in plan.refusals],
        "tile_size": plan.tile_size,
        "opset": int(p.opset),
        "resolution": resolution,
        "max_abs_difference": difference,
    }


def _shape_text(shape):
    return "(" + ", ".join("?" if s is None else str(s) for s in shape) + ")"


def _log_plan(progress, p, plan, meta, resolution):
    for refusal in plan.refusals:
        progress.relay(refusal, level="warning")
    if plan.refusals:
        progress.warning("The model cannot be exported for Deepness (see above); writing a "
                         "plain ONNX file instead: NHWC input of any size, pixels normalised "
                         "by the caller.")
    if not plan.deepness:
        return
    if resolution is None:
        progress.warning("The ground resolution of the training scenes is unknown: set "
                         "RESOLUTION (cm/px) so that Deepness resamples the map as in "
                         "training.")
    if meta.get("nodata") is not None:
        progress.warning("Deepness does not know the nodata value {nodata}; this "
                         "plugin's Predict Raster leaves such pixels unclassified.",
                         nodata=meta.get("nodata"))


def _layout_model(model, plan):
    """``model`` itself (NHWC), or wrapped to take and give NCHW (Deepness); called
    once, as Keras's export requires."""
    import keras

    if plan.layout == NHWC:
        size = int((plan.tile_size or 0) or 64)
        model(np.zeros((1, size, size, plan.bands), np.float32))
        return model
    inputs = keras.Input((plan.bands, None, None), name=INPUT_NAME)
    x = keras.layers.Permute((2, 3, 1), name="nchw_to_nhwc")(inputs)
    x = model(x)
    x = keras.layers.Permute((3, 1, 2), name="nhwc_to_nchw")(x)
    net = keras.Model(inputs, x, name=f"{model.name}_nchw")
    net(np.zeros((1, plan.bands, plan.tile_size, plan.tile_size), np.float32))
    return net


def _finish_onnx(path, plan, meta, p):
    """Name the tensors and their dimensions (the Deepness layout declares its
    tile as the height and width), add the metadata, check the graph."""
    import onnx

    proto = onnx.load(path)
    graph = proto.graph
    old = graph.output[0].name
    for node in graph.node:
        for i, name in enumerate(node.output):
            if name == old:
                node.output[i] = OUTPUT_NAME
    graph.output[0].name = OUTPUT_NAME
    names = ("batch", "bands", "height", "width") if plan.layout == NCHW else \
        ("batch", "height", "width", "bands")
    fixed = {"height": plan.tile_size, "width": plan.tile_size} if plan.tile_size else {}
    for value in (graph.input[0], graph.output[0]):
        for dim, name in zip(value.type.tensor_type.shape.dim, names):
            if name in fixed:
                dim.dim_value = int(fixed[name])
            elif not dim.HasField("dim_value"):
                dim.dim_param = name
    description = dict(meta)
    description["onnx"] = {
        "layout": plan.layout, "input": INPUT_NAME, "output": OUTPUT_NAME,
        "opset": int(p.opset), "deepness": plan.deepness,
        # Predict Raster's windows: any size (window_plan.fixed_window); the graph
        # runs at any size, the Deepness layout only declares its tile
        "tile_size": None, "declared_tile_size": plan.tile_size, "any_size": True,
        "source_model": os.path.basename(p.model), "exported": modelfile.now_iso(),
        "normalisation": "inside the model: (x/255 - standardization_mean) / "
                         "standardization_std" if plan.deepness else
                         "by the caller: (x - mean) / std, per band",
    }
    props = dict(plan.properties)
    props[METADATA_KEY] = json.dumps(description, default=jsonable)
    del proto.metadata_props[:]
    for key, value in props.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "semantic_segmentation (QGIS plugin)"
    proto.producer_version = str(meta.get("plugin_version", modelfile.plugin_version()))
    proto.doc_string = (f"{meta.get('model', '')} + {meta.get('encoder', '')}: "
                        f"{len(meta['classes'])} classes, {plan.bands} bands, {plan.layout}")
    onnx.checker.check_model(proto)
    onnx.save(proto, path)


def _verify(path, net, plan):
    """The largest difference between ONNX Runtime's and Keras's probabilities on a
    random standardised batch; SegError when it exceeds TOLERANCE. None when ONNX
    Runtime is not installed (the export itself does not need it)."""
    try:
        from ..formats.onnx_backend import OnnxPredictor
    except ImportError:
        return None
    size = plan.tile_size or 64
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, size, size, plan.bands)).astype(np.float32)
    try:
        predictor = OnnxPredictor(path, providers=["CPUExecutionProvider"])
    except InputError:
        return None  # onnxruntime missing
    got = predictor(x)
    feed = x.transpose(0, 3, 1, 2) if plan.layout == NCHW else x
    want = np.asarray(net.predict(feed, verbose=0), np.float32)
    if plan.layout == NCHW:
        want = want.transpose(0, 2, 3, 1)
    difference = float(np.max(np.abs(got - want)))
    if not math.isfinite(difference) or difference > TOLERANCE:
        raise SegError("The ONNX file does not reproduce the Keras model: probabilities "
                       "differ by up to {difference:.2e} (more than {tolerance:.0e}).",
                       difference=difference, tolerance=TOLERANCE)
    return difference


def run_job(params, progress=None):
    """The worker's entry: ``params`` is the job's dict (see ExportParams)."""
    return export(ExportParams.from_dict(dict(params or {})), progress)
