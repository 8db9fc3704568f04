"""Where a run computes: ``tf.distribute`` strategies, the chief of a
multi-worker run, logical CPUs for tests, mixed precision, and the
work-arounds MultiWorkerMirroredStrategy needs in Keras.

TensorFlow at import: only a run imports this module (training.py, fit.py).
"""

import tensorflow as tf

from ..errors import InputError


def configure_virtual_cpus(count):
    """Split the first CPU into ``count`` logical devices (before TF initialises)."""
    cpus = tf.config.list_physical_devices("CPU")
    try:
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(int(count))])
    except RuntimeError as exc:
        raise InputError("VIRTUAL_CPUS must be set before TensorFlow starts: {error}",
                         error=exc) from None


def make_strategy(name, devices=None):
    """The tf.distribute strategy for ``name`` (see training.STRATEGIES)."""
    if name == "mirrored":
        if not devices:
            gpus = tf.config.list_logical_devices("GPU")
            devices = [d.name for d in (gpus or tf.config.list_logical_devices("CPU"))]
        return tf.distribute.MirroredStrategy(devices=list(devices))
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def is_chief(strategy):
    """Whether this process writes: the chief of a multi-worker run, or any
    single-process run."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not getattr(resolver, "task_type", None):
        return True
    spec = resolver.cluster_spec().as_dict()
    if resolver.task_type == "chief":
        return True
    return resolver.task_type == "worker" and resolver.task_id == 0 and "chief" not in spec


def use_mixed_precision(p):
    """MIXED_PRECISION of the TrainParams ``p``: "auto" is on when a GPU is
    present and the run starts a new network."""
    if p.mixed_precision == "on":
        return True
    if p.mixed_precision == "off" or p.init_model:
        return False
    return bool(tf.config.list_physical_devices("GPU"))


def _logs_with_an_axis(step):
    """``step`` returning its scalar logs as 1-element vectors (multi-worker only)."""

    def wrapped(data):
        return {k: tf.reshape(v, [1]) for k, v in step(data).items()}

    return wrapped


def multi_worker_fixes(model, strategy_name):
    """Work-arounds for MultiWorkerMirroredStrategy (after each compile)."""
    if strategy_name != "multi_worker":
        return
    # Keras 3.15 builds a model that carries a strategy by reducing the
    # first distributed batch with strategy.reduce, which fails for
    # MultiWorkerMirroredStrategy with several workers ("Attempt to convert
    # a value (PerReplica...)"); without the attribute Keras takes the
    # strategy of this scope and builds the step when it is traced.
    model._distribute_strategy = None
    # and it averages each step's logs over the workers with a MEAN over
    # axis 0, which scalars lack: give every log value that axis.
    if not getattr(model, "_semseg_logs_with_axis", False):
        model.train_step = _logs_with_an_axis(model.train_step)
        model.test_step = _logs_with_an_axis(model.test_step)
        model._semseg_logs_with_axis = True
