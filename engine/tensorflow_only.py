"""What only TensorFlow does, in one module: the engine's other modules never
import TensorFlow (tests/engine/test_tensorflow_only.py checks it).

Standard library at import: each function imports TensorFlow itself, when it
is called, so a PyTorch or JAX engine (TensorFlow missing, or not Keras's
backend) imports this module harmlessly and hears a clear error instead of a
traceback. Its importers import it inside the functions that need it, never at
their top, so QGIS's process never loads it.

Two kinds of function:

- TensorFlow itself, whatever backend Keras runs on (the self-check lists each
  installed backend's devices): :func:`version`, :func:`gpus`.
- Keras on TensorFlow (a ``tf.function`` over a Keras model, TensorFlow's
  runtime settings for a job): on another Keras backend they raise InputError
  naming it (:func:`require`).
"""

from .errors import InputError

BACKEND = "tensorflow"


def keras_backend():
    """The backend Keras runs on here (imports Keras)."""
    import keras

    return keras.backend.backend()


def require(function):
    """TensorFlow's module, once Keras is known to run on it; InputError naming
    Keras's backend otherwise. ``function``: the caller, named in the message."""
    backend = keras_backend()
    if backend != BACKEND:
        raise InputError("{function} needs Keras on TensorFlow; the engine backend is "
                         "{backend}. Set Engine backend to auto or tensorflow (Settings > "
                         "Options > Processing > Providers > Semantic Segmentation) and "
                         "unset KERAS_BACKEND.", function=function, backend=backend)
    import tensorflow as tf

    return tf


# ---------------------------------------------------------------- TensorFlow itself
def version():
    """TensorFlow's version (imports it)."""
    import tensorflow as tf

    return tf.__version__


def gpus():
    """``[{"name": str | None, "device": str}]``: the GPUs TensorFlow sees, in its
    order: the name its device details give (None without one) and its device
    name ("/physical_device:GPU:0"). Imports TensorFlow, whatever Keras runs on."""
    import tensorflow as tf

    found = []
    for device in tf.config.list_physical_devices("GPU"):
        try:
            details = tf.config.experimental.get_device_details(device) or {}
        except Exception:  # details are optional: the device is listed anyway
            details = {}
        found.append({"name": details.get("device_name") or None, "device": device.name})
    return found


# ---------------------------------------------------------------- prediction (Keras on TF)
def grow_gpu_memory():
    """Memory growth switched on for each GPU TensorFlow sees (so the memory
    still free can be read and planned on); True when there is one."""
    tf = require("tensorflow_only.grow_gpu_memory")
    found = tf.config.list_physical_devices("GPU")
    for gpu in found:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except (RuntimeError, ValueError):
            pass  # already initialised
    return bool(found)


def limit_threads(threads):
    """At most ``threads`` threads for each operation, one operation at a time;
    nothing once TensorFlow's runtime has started in this process."""
    tf = require("tensorflow_only.limit_threads")
    try:
        tf.config.threading.set_intra_op_parallelism_threads(int(threads))
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # TensorFlow already started in this process
        pass


def window_forward(model, input_shape, bands):
    """``forward(batch) -> probabilities``: ``model``'s inference as one
    ``tf.function`` over float32 NHWC windows of ``input_shape`` (height, width)
    and ``bands`` bands with a free batch dimension, so it is traced once
    whatever the batch size. Returns its first output as float32 NumPy."""
    tf = require("tensorflow_only.window_forward")
    spec = tf.TensorSpec([None, int(input_shape[0]), int(input_shape[1]), int(bands)],
                         tf.float32)

    @tf.function(input_signature=[spec])
    def forward(x):
        y = model(x, training=False)
        if isinstance(y, (list, tuple)):
            y = y[0]
        return tf.cast(y, tf.float32)

    def run(batch):
        return forward(tf.constant(batch)).numpy()

    return run


# ---------------------------------------------------------------- training (Keras on TF)
def virtual_cpus(count):
    """Split the first CPU into ``count`` logical devices (before TensorFlow starts)."""
    tf = require("VIRTUAL_CPUS")
    cpus = tf.config.list_physical_devices("CPU")
    try:
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(int(count))])
    except RuntimeError as exc:
        raise InputError("VIRTUAL_CPUS must be set before TensorFlow starts: {error}",
                         error=exc) from None


def strategy(name, devices=None):
    """The tf.distribute strategy for STRATEGY ``name`` ("mirrored" over
    ``devices``, default every GPU, else every CPU; "multi_worker"; else the
    default one)."""
    tf = require("STRATEGY=" + str(name))
    if name == "mirrored":
        if not devices:
            gpus = tf.config.list_logical_devices("GPU")
            devices = [d.name for d in (gpus or tf.config.list_logical_devices("CPU"))]
        return tf.distribute.MirroredStrategy(devices=list(devices))
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def logs_with_an_axis(step):
    """``step`` (a Keras train or test step) returning its scalar logs as
    1-element vectors: MultiWorkerMirroredStrategy averages logs over axis 0."""
    tf = require("STRATEGY=multi_worker")

    def wrapped(data):
        return {k: tf.reshape(v, [1]) for k, v in step(data).items()}

    return wrapped
