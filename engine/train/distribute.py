"""Where a run computes: on TensorFlow a ``tf.distribute`` strategy (the
chief of a multi-worker run, logical CPUs for tests, the work-arounds
MultiWorkerMirroredStrategy needs in Keras); on PyTorch and JAX the one device
Keras places the run on (:class:`OneDevice`); and mixed precision.

Keras at import: only a run imports this module (training.py, fit.py).
"""

import contextlib

import keras

from ..errors import InputError

# What only tf.distribute offers, by the parameter that asks for it.
TENSORFLOW_STRATEGIES = ("mirrored", "multi_worker")


class OneDevice:
    """A run on PyTorch or JAX: Keras places it on the backend's first device
    (a GPU when there is one), one replica, one process that writes."""

    num_replicas_in_sync = 1
    cluster_resolver = None

    def scope(self):
        return contextlib.nullcontext()


def check_backend(strategy, devices=None, virtual_cpus=0, backend=None):
    """InputError when the run asks for what only TensorFlow has (STRATEGY
    mirrored or multi_worker, DEVICES, VIRTUAL_CPUS) on another backend."""
    backend = backend or keras.backend.backend()
    if backend == "tensorflow":
        return
    asked = ("STRATEGY=" + strategy if strategy in TENSORFLOW_STRATEGIES else
             "DEVICES" if devices else "VIRTUAL_CPUS" if int(virtual_cpus or 0) > 1 else "")
    if asked:
        raise InputError("{asked} needs TensorFlow's tf.distribute; the engine backend is "
                         "{backend}, which trains on one device. Set STRATEGY to auto, or "
                         "Engine backend to tensorflow.", asked=asked, backend=backend)


def configure_virtual_cpus(count):
    """Split the first CPU into ``count`` logical devices (before TF initialises)."""
    check_backend("auto", virtual_cpus=count)
    from .. import tensorflow_only

    tensorflow_only.virtual_cpus(count)


def make_strategy(name, devices=None):
    """The tf.distribute strategy for ``name`` (see training.STRATEGIES) on
    TensorFlow; :class:`OneDevice` on the other backends."""
    check_backend(name, devices)
    if keras.backend.backend() != "tensorflow":
        return OneDevice()
    from .. import tensorflow_only

    return tensorflow_only.strategy(name, devices)


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


def use_mixed_precision(p, gpu):
    """MIXED_PRECISION of the TrainParams ``p``: "auto" is on when ``gpu`` (the
    run's first device is a GPU) and the run starts a new network."""
    if p.mixed_precision == "on":
        return True
    if p.mixed_precision == "off" or p.init_model:
        return False
    return bool(gpu)


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
        from .. import tensorflow_only

        model.train_step = tensorflow_only.logs_with_an_axis(model.train_step)
        model.test_step = tensorflow_only.logs_with_an_axis(model.test_step)
        model._semseg_logs_with_axis = True
