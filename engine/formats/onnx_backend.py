"""ONNX Runtime inference: an exported model file as a function of a batch.

``OnnxPredictor(path)`` opens a file written by Export Model (either layout,
see onnx_export.py) and maps a float32 NHWC batch ``(n, h, w, bands)``, already
normalised ``(x - mean) / std`` as Predict Raster feeds Keras, to float32
probabilities ``(n, h, w, classes)``. A Deepness-layout file (NCHW, fixed tile)
is fed transposed. Its graph runs at any size (``any_size`` in the file's
``onnx`` metadata: the tile is declared for Deepness only), so the predictor
frees the declared height and width (:func:`free_spatial_dims`) and Predict
Raster runs it at the windows it plans for the ``.keras`` file; a file without
``any_size`` (exported before) takes its declared tile only.

Imports numpy and onnxruntime only, never TensorFlow: the prediction code can
run a model without loading TensorFlow (faster start, less memory), on the
best execution provider installed (:data:`PREFERRED_PROVIDERS`: CUDA with
onnxruntime-gpu, DirectML with onnxruntime-directml on Windows, CoreML on
macOS, OpenVINO, else the CPU).

:func:`read_properties` and :func:`read_metadata` read an ONNX file's
``metadata_props`` (our ``semseg`` JSON among them) with the standard library
alone, from the protobuf wire format, without ONNX Runtime or the ``onnx``
package: QGIS's own Python reads a model's metadata in-process to style the
outputs, and it has neither (nor may it load another protobuf runtime).
"""

import json
import os

import numpy as np

from ..errors import InputError

METADATA_KEY = "semseg"
# The execution providers a session may use, best first: NVIDIA GPUs (CUDA,
# onnxruntime-gpu), AMD GPUs on Linux (ROCm, MIGraphX), any DirectX 12 GPU on
# Windows (DirectML, onnxruntime-directml), Apple's GPU and Neural Engine
# (CoreML, in the macOS onnxruntime wheels), Intel (OpenVINO,
# onnxruntime-openvino), then the CPU. Others listed as available (TensorRT,
# which needs its own libraries; Azure) are not used.
PREFERRED_PROVIDERS = ("CUDAExecutionProvider", "ROCMExecutionProvider",
                       "MIGraphXExecutionProvider", "DmlExecutionProvider",
                       "CoreMLExecutionProvider", "OpenVINOExecutionProvider",
                       "CPUExecutionProvider")
SUFFIX = ".onnx"
# ModelProto's metadata_props (field 14), StringStringEntryProto's key (1) and value (2).
_METADATA_PROPS, _KEY, _VALUE = 14, 1, 2
# The most bytes one metadata property may take, checked from its length before
# it is read (the semseg JSON is a few KB; QGIS reads it in-process).
MAX_PROPERTY_BYTES = 1 << 20


def is_onnx(path):
    """True when ``path`` names an ONNX file (by its extension)."""
    return bool(path) and os.fspath(path).lower().endswith(SUFFIX)


# ---------------------------------------------------------------- metadata (no ONNX Runtime)
def _varint(read):
    """An unsigned varint from ``read(1)``; None at the end of the input."""
    shift = result = 0
    while True:
        byte = read(1)
        if not byte:
            if shift:
                raise ValueError("truncated varint")
            return None
        result |= (byte[0] & 0x7F) << shift
        if not byte[0] & 0x80:
            return result
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _fields(data):
    """``(field number, value)`` of the length-delimited fields of a message
    held in ``data`` (bytes); other wire types are skipped."""
    return ((number, payload) for number, wire, _raw, payload in _spans(data) if wire == 2)


def _encode_varint(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _length_field(number, payload):
    """A length-delimited field ``number`` holding ``payload``, encoded."""
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def _spans(data):
    """``(field number, wire type, raw bytes of the whole field, payload or None)``
    of each top-level field of the message in ``data``."""
    pos, end = 0, len(data)

    def read(n):
        nonlocal pos
        chunk = data[pos:pos + n]
        pos += len(chunk)
        return chunk

    while pos < end:
        start = pos
        tag = _varint(read)
        number, wire = tag >> 3, tag & 7
        payload = None
        if wire == 2:
            size = _varint(read)
            if size is None or pos + size > end:
                raise ValueError("truncated field")
            payload = read(size)
        elif wire == 0:
            _varint(read)
        elif wire in (1, 5):
            read(8 if wire == 1 else 4)
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, data[start:pos], payload


def _rewrite(data, path, change):
    """``data`` (a message) with the length-delimited fields reached by the field
    numbers of ``path`` (the last one repeated or not) replaced by
    ``change(index, payload)``; the other fields are copied byte for byte."""
    parts, index = [], 0
    for number, wire, raw, payload in _spans(data):
        if wire == 2 and number == path[0]:
            if len(path) == 1:
                payload = change(index, payload)
                index += 1
            else:
                payload = _rewrite(payload, path[1:], change)
            raw = _length_field(number, payload)
        parts.append(raw)
    return b"".join(parts)


# ModelProto.graph (7); GraphProto.input (11) and output (12); ValueInfoProto.type
# (2); TypeProto.tensor_type (1); Tensor.shape (2); TensorShapeProto.dim (1);
# Dimension.dim_param (2).
_GRAPH, _INPUT, _OUTPUT, _TYPE, _TENSOR, _SHAPE, _DIM, _DIM_PARAM = 7, 11, 12, 2, 1, 2, 1, 2
_SPATIAL_AXES = {"NCHW": (2, 3), "NHWC": (1, 2)}


def free_spatial_dims(data, layout):
    """The serialized ONNX model ``data`` with the height and width of its
    inputs and outputs made symbolic ("height", "width").

    For a file whose graph was exported for any size but declares a fixed one
    (Export Model's Deepness layout: Deepness needs the tile in the input's
    shape); standard library only, so an engine with ONNX Runtime and no
    ``onnx`` package runs it at the window the plan chose."""
    axes = _SPATIAL_AXES[layout]

    def dim(index, payload):
        if index in axes:
            return _length_field(_DIM_PARAM, ("height", "width")[axes.index(index)].encode())
        return payload

    for value_info in (_INPUT, _OUTPUT):
        data = _rewrite(data, (_GRAPH, value_info, _TYPE, _TENSOR, _SHAPE, _DIM), dim)
    return data


def read_properties(path):
    """An ONNX file's ``metadata_props`` as ``{key: value}`` (str -> str).

    Walks the top level of the ModelProto, seeking past the graph (the
    weights) rather than reading it. ValueError when the file is not a
    protobuf message; InputError, before reading it, for a property over
    :data:`MAX_PROPERTY_BYTES`.
    """
    props = {}
    with open(os.fspath(path), "rb") as f:
        size = os.fstat(f.fileno()).st_size
        while True:
            tag = _varint(f.read)
            if tag is None:
                break
            number, wire = tag >> 3, tag & 7
            if wire == 0:
                if _varint(f.read) is None:
                    raise ValueError("truncated varint")
            elif wire in (1, 5):
                f.seek(8 if wire == 1 else 4, os.SEEK_CUR)
            elif wire == 2:
                length = _varint(f.read)
                if length is None or f.tell() + length > size:
                    raise ValueError("truncated field")
                if number == _METADATA_PROPS:
                    if length > MAX_PROPERTY_BYTES:
                        raise InputError("A metadata property of the ONNX file {path} "
                                         "takes {size} bytes, more than the {limit} "
                                         "bytes allowed: the file was not written by "
                                         "Export Model.",
                                         path=os.fspath(path), size=length,
                                         limit=MAX_PROPERTY_BYTES)
                    entry = dict(_fields(f.read(length)))
                    props[entry.get(_KEY, b"").decode("utf-8")] = \
                        entry.get(_VALUE, b"").decode("utf-8")
                else:
                    f.seek(length, os.SEEK_CUR)
            else:
                raise ValueError(f"wire type {wire}")
            if not number:
                raise ValueError("field number 0")
    return props


def read_metadata(path):
    """The model metadata (semseg.json plus its ``onnx`` entry) of a file written
    by Export Model, unchecked; InputError naming the file otherwise."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise InputError("The model file {path} does not exist.", path=path)
    try:
        props = read_properties(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError("{path} is not an ONNX file: {error}.", path=path,
                         error=exc) from None
    if METADATA_KEY not in props:
        raise InputError("{path} is an ONNX model, but not one written by Export Model: "
                         "no {metadata_key} metadata.", path=path, metadata_key=METADATA_KEY)
    try:
        meta = json.loads(props[METADATA_KEY])
    except ValueError as exc:
        raise InputError("The {metadata_key} metadata of {path} is corrupt: {error}.",
                         metadata_key=METADATA_KEY, path=path, error=exc) from None
    return meta


def _onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:
        raise InputError("ONNX Runtime is not installed in the engine's Python: "
                         "pip install onnxruntime ({error}).", error=exc) from None
    return onnxruntime


def available_providers():
    """The execution providers to use, best first (:data:`PREFERRED_PROVIDERS`
    that the installed ONNX Runtime has); a session falls back along the list,
    so the first it really uses is ``session.get_providers()[0]``."""
    have = _onnxruntime().get_available_providers()
    return [p for p in PREFERRED_PROVIDERS if p in have] or list(have)


class OnnxPredictor:
    """A float32 NHWC batch -> float32 NHWC probabilities, through ONNX Runtime.

    Attributes: ``metadata`` (the model file's metadata, with an ``onnx``
    entry, or {} for a foreign file), ``layout`` ("NHWC" or "NCHW"), ``bands``,
    ``n_classes``, ``tile_size`` (the fixed height and width, or None),
    ``providers`` (those the session uses).
    """

    def __init__(self, path, providers=None, threads=0):
        ort = _onnxruntime()
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise InputError("The ONNX file {path} does not exist.", path=path)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = int(threads)
        # Idle threads sleep instead of spinning: on cores shared with QGIS and
        # other jobs, spinning threads made a unet + mobilenet_v2 batch 1.3-1.9x
        # slower (bench/results/onnx.txt); for the default network no different.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        providers = list(providers or available_providers())
        if "DmlExecutionProvider" in providers:
            # DirectML runs neither memory patterns nor parallel execution
            options.enable_mem_pattern = False
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        model = path
        onnx_entry = _onnx_entry(path)
        if onnx_entry.get("any_size") and onnx_entry.get("declared_tile_size") and \
                onnx_entry.get("layout") in _SPATIAL_AXES:
            # a graph for any size that declares the Deepness tile: run it at
            # the window the plan chose, as the .keras file runs
            try:
                with open(path, "rb") as f:
                    model = free_spatial_dims(f.read(), onnx_entry["layout"])
            except (OSError, ValueError) as exc:
                raise InputError("{path} is not an ONNX file: {error}.", path=path,
                                 error=exc) from None
        try:
            self.session = ort.InferenceSession(
                model, sess_options=options, providers=providers)
        except Exception as exc:  # onnxruntime raises its own kinds; name the file
            raise InputError("ONNX Runtime cannot open {path}: {error}",
                             path=path, error=exc) from None
        self.path = path
        self.providers = self.session.get_providers()
        inputs, outputs = self.session.get_inputs(), self.session.get_outputs()
        if len(inputs) != 1 or len(outputs) < 1:
            raise InputError("{path} has {n_in} inputs and {n_out} outputs; a segmentation "
                             "model has one input and one output.",
                             path=path, n_in=len(inputs), n_out=len(outputs))
        self.input_name, self.output_name = inputs[0].name, outputs[0].name
        self.metadata = self._read_metadata()
        shape = list(inputs[0].shape)
        self.layout = self.metadata.get("onnx", {}).get("layout") or _guess_layout(shape)
        if len(shape) != 4 or self.layout not in ("NHWC", "NCHW"):
            raise InputError("{path} has input shape {shape}; expected a 4-d NHWC or NCHW "
                             "image batch.", path=path, shape=str(shape))
        if self.layout == "NCHW":
            bands, height, width = shape[1], shape[2], shape[3]
        else:
            height, width, bands = shape[1], shape[2], shape[3]
        self.bands = bands if isinstance(bands, int) else None
        fixed = isinstance(height, int) and isinstance(width, int)
        self.tile_size = (height, width) if fixed else None
        out = list(outputs[0].shape)
        channels = out[1] if self.layout == "NCHW" else out[-1]
        self.n_classes = channels if isinstance(channels, int) else None

    def _read_metadata(self):
        props = self.session.get_modelmeta().custom_metadata_map
        try:
            meta = json.loads(props[METADATA_KEY]) if METADATA_KEY in props else {}
        except ValueError:
            meta = {}
        return meta if isinstance(meta, dict) else {}

    def __call__(self, batch):
        """Probabilities ``(n, h, w, classes)`` for a float32 ``(n, h, w, bands)`` batch."""
        x = np.asarray(batch, dtype=np.float32)
        if x.ndim != 4:
            raise InputError("The batch has shape {shape}; expected (n, height, width, bands).",
                             shape=str(x.shape))
        if self.bands is not None and x.shape[-1] != self.bands:
            raise InputError("The batch has {got} bands; the model takes {bands}.",
                             got=x.shape[-1], bands=self.bands)
        if self.tile_size is not None and tuple(x.shape[1:3]) != tuple(self.tile_size):
            raise InputError("The model takes windows of {height} x {width} pixels, not "
                             "{got_h} x {got_w}.", height=self.tile_size[0],
                             width=self.tile_size[1], got_h=x.shape[1], got_w=x.shape[2])
        if self.layout == "NCHW":
            x = x.transpose(0, 3, 1, 2)
        y = self.session.run([self.output_name], {self.input_name: np.ascontiguousarray(x)})[0]
        if self.layout == "NCHW":
            y = y.transpose(0, 2, 3, 1)
        return np.ascontiguousarray(y, dtype=np.float32)

    predict = __call__


def _onnx_entry(path):
    """The ``onnx`` entry of a file's ``semseg`` metadata, or {} (a foreign or
    unreadable file: ONNX Runtime then says what is wrong with it)."""
    try:
        entry = json.loads(read_properties(path).get(METADATA_KEY) or "{}").get("onnx")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return {}
    return entry if isinstance(entry, dict) else {}


def _guess_layout(shape):
    """NHWC or NCHW from a foreign file's input shape: the fixed small axis is the bands."""
    if len(shape) != 4:
        return None
    last, second = shape[3], shape[1]
    if isinstance(last, int) and (not isinstance(second, int) or last < second):
        return "NHWC"
    if isinstance(second, int):
        return "NCHW"
    return None
