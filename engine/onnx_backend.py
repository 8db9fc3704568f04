"""ONNX Runtime inference: an exported model file as a function of a batch.

``OnnxPredictor(path)`` opens a file written by Export Model (either layout,
see onnx_export.py) and maps a float32 NHWC batch ``(n, h, w, bands)``, already
normalised ``(x - mean) / std`` as Predict Raster feeds Keras, to float32
probabilities ``(n, h, w, classes)``. A Deepness-layout file (NCHW, fixed tile)
is fed transposed; its height and width must be the tile size.

Imports numpy and onnxruntime only, never TensorFlow: the prediction code can
run a model without loading TensorFlow (faster start, less memory), on the
CPU or, where onnxruntime-gpu is installed, the CUDA provider.
"""

import json
import os

import numpy as np

from .errors import InputError

METADATA_KEY = "semseg"
PREFERRED_PROVIDERS = ("CUDAExecutionProvider", "CPUExecutionProvider")


def _onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:
        raise InputError("ONNX Runtime is not installed in the engine's Python: "
                         "pip install onnxruntime ({error}).", error=exc) from None
    return onnxruntime


def available_providers():
    """The execution providers to use, best first: CUDA where present, then CPU."""
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
        try:
            self.session = ort.InferenceSession(
                path, sess_options=options, providers=list(providers or available_providers()))
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
