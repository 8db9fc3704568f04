"""Train Model, engine side: fit a network on a Tile Dataset folder.

``train(TrainParams, progress)`` reads the dataset (``dataset.py``),
builds the network by name (``models.registry``, the encoder optionally
starting from ImageNet or a file), or starts from a model file
(INIT_MODE ``fine_tune``: its weights, a new optimizer and schedule) or from
a resume checkpoint (INIT_MODE ``resume``: weights, optimizer state --
hence the schedule's position -- epoch counter, best epoch and history, and
the stopped run's settings), fits it with ``model.fit`` under a ``tf.distribute`` strategy,
validates every epoch (mean IoU and pixel accuracy, ignore label excluded),
keeps the best weights by validation mIoU in memory, stops early when asked,
and writes the best network once, at the end, as a self-describing model file
(``modelfile.save_model``: atomic, nothing on cancel). Logs (TensorBoard
events, CSV, JSON, PNG curves, HTML summary) go to ``log_dir`` if given; a
run that fails or is cancelled before writing the model removes what it added
there (files that were there before are kept, an earlier history.csv too).

Resume checkpoint (RESUME_CHECKPOINT, on by default): after every epoch the
run writes ``<output model>.resume.keras`` (``modelfile.save_checkpoint``)
and removes it once the model file is written; a cancelled or failed run
leaves it, and INIT_MODEL=<that file or the output model> INIT_MODE=resume
continues the run where it stopped. FREEZE_ENCODER_EPOCHS > 0 trains the
decoder alone first (the encoder frozen, its batch norm in inference mode),
then the whole network with a fresh optimizer whose step counter continues.

Progress: ``fraction = step / total_steps``, reported every batch (at most
every 0.2 s, with ``step``, ``epoch`` and the batch's ``metrics`` as the
report's extras) together with the cancel check; ``errors.Cancelled``
propagates out of ``model.fit``. The worker calls ``run_job(params_dict,
progress)``.
"""

import _thread
import math
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import asdict, dataclass

import numpy as np

from ..data import dataset as dataset_mod
from .. import options, outputs
from ..formats import modelfile
from ..errors import Cancelled, InputError
from ..progress import ensure
from ...models import catalog

OPTIMIZERS = tuple(options.names("optimizer"))
STRATEGIES = tuple(options.names("strategy"))
MIXED_PRECISION = ("auto", "on", "off")
IGNORE_INDEX = dataset_mod.IGNORE_INDEX


@dataclass
class TrainParams:
    """One Train Model job (keys: the Processing parameter names, lower-case)."""

    dataset: str
    output_model: str
    model: str = catalog.DEFAULT_DECODER
    encoder: str = ""                    # "" = the decoder's usual encoder
    output_stride: int = catalog.DEFAULT_OUTPUT_STRIDE
    loss: str = "categorical_crossentropy"
    class_weights: str = "none"          # "none" | "inverse_frequency"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    lr_mode: str = options.default("lr_mode")  # the dialog's default too
    min_lr: float = 1e-6
    lr_cycle: int = 10                   # epochs per cosine cycle
    lr_power: float = 0.9
    batch_size: int = 8
    epochs: int = 20
    steps_per_epoch: int = 0             # 0 = one pass over the training chips
    early_stop_patience: int = 0         # epochs without val mIoU gain; 0 = off
    augment: bool = True
    cval: float = 0.0                    # image fill (raw pixel value) for augmentation
    label_cval: int = 255                # label fill (raw label value; 255 = ignore)
    init_model: str = None               # model file to fine-tune / resume from
    init_mode: str = "fine_tune"         # "fine_tune" | "resume" (see options.py)
    resume_checkpoint: bool = True       # write <output>.resume.keras every epoch
    encoder_weights: str = "none"        # "none" | "imagenet" | "file"
    encoder_weights_file: str = None     # the file for encoder_weights="file"
    freeze_encoder_epochs: int = 0       # train the decoder alone this many epochs first
    log_dir: str = None
    strategy: str = "auto"               # "auto" | "mirrored" | "multi_worker"
    devices: list = None                 # mirrored: device names; None = all GPUs (or CPUs)
    virtual_cpus: int = 0                # split the CPU into N logical devices (tests)
    mixed_precision: str = "auto"        # "auto" = mixed_float16 when a GPU is present
    seed: int = 0
    width: float = 0.0                   # filter multiplier; 0 = the pair's default

    @classmethod
    def from_dict(cls, values):
        """TrainParams from a job's params (keys case-insensitive; None = default)."""
        given = options.job_params(cls, values or {}, "train", lower=True)
        for key in ("dataset", "output_model"):
            if not given.get(key):
                raise InputError("The training parameter {parameter} is required.",
                                 parameter=key.upper())
        kwargs = {k: v for k, v in given.items()
                  if v is not None or k in ("init_model", "log_dir", "encoder_weights_file")}
        return cls(**kwargs)


# ---------------------------------------------------------------- metrics
def _register_metrics():
    import keras
    import tensorflow as tf

    class _Confusion(keras.metrics.Metric):
        """Confusion matrix over pixels whose label is a class (ignore excluded)."""

        def __init__(self, n_classes, name=None, dtype=None, **kwargs):
            super().__init__(name=name, dtype=dtype)
            self.n_classes = int(n_classes)
            self.matrix = self.add_variable(shape=(self.n_classes, self.n_classes),
                                            initializer="zeros", dtype="float32",
                                            name="confusion")

        def update_state(self, y_true, y_pred, sample_weight=None):
            labels = tf.reshape(tf.cast(y_true, tf.int32), [-1])
            pred = tf.reshape(tf.argmax(y_pred, axis=-1, output_type=tf.int32), [-1])
            valid = tf.logical_and(labels >= 0, labels < self.n_classes)
            labels = tf.where(valid, labels, tf.zeros_like(labels))
            matrix = tf.math.confusion_matrix(labels, pred, num_classes=self.n_classes,
                                              weights=tf.cast(valid, tf.float32),
                                              dtype=tf.float32)
            self.matrix.assign_add(matrix)

        def get_config(self):
            return {"n_classes": self.n_classes, "name": self.name}

    @keras.saving.register_keras_serializable(package="semseg")
    class MeanIoU(_Confusion):
        """Mean IoU over classes present in the labels or the predictions."""

        def __init__(self, n_classes, name="miou", **kwargs):
            super().__init__(n_classes, name=name, **kwargs)

        def result(self):
            m = tf.convert_to_tensor(self.matrix)
            tp = tf.linalg.diag_part(m)
            union = tf.reduce_sum(m, 0) + tf.reduce_sum(m, 1) - tp
            present = union > 0
            iou = tf.where(present, tp / tf.maximum(union, 1.0), 0.0)
            return tf.reduce_sum(iou) / tf.maximum(tf.reduce_sum(tf.cast(present, tf.float32)),
                                                   1.0)

    @keras.saving.register_keras_serializable(package="semseg")
    class PixelAccuracy(_Confusion):
        """Share of labelled pixels predicted right."""

        def __init__(self, n_classes, name="accuracy", **kwargs):
            super().__init__(n_classes, name=name, **kwargs)

        def result(self):
            m = tf.convert_to_tensor(self.matrix)
            return tf.reduce_sum(tf.linalg.diag_part(m)) / tf.maximum(tf.reduce_sum(m), 1.0)

    return MeanIoU, PixelAccuracy


_METRICS = None


def keras_metrics(n_classes):
    """``[MeanIoU, PixelAccuracy]`` metric objects for ``n_classes`` classes."""
    global _METRICS
    if _METRICS is None:
        _METRICS = _register_metrics()
    return [cls(n_classes) for cls in _METRICS]


# ---------------------------------------------------------------- checks
def _choice(value, valid, name):
    if value not in valid:
        raise InputError("{name} {value} is not valid; choose one of {valid}.",
                         name=name, value=repr(value), valid=", ".join(valid))


def check_params(p):
    """InputError naming the first parameter whose value cannot work."""
    if not str(p.output_model).lower().endswith(modelfile.SUFFIX):
        raise InputError("OUTPUT_MODEL {output_model} must end in {suffix}.",
                         output_model=p.output_model, suffix=modelfile.SUFFIX)
    if not p.init_model:
        p.encoder = p.encoder or (catalog.default_encoder(p.model)
                                  if p.model in catalog.DECODERS else None)
        options.check_network(p.model, p.encoder, p.output_stride)
        if not float(p.width):
            p.width = catalog.default_width(p.model, p.encoder)
    for key in ("loss", "class_weights", "optimizer", "lr_mode", "strategy", "init_mode",
                "encoder_weights"):
        options.check(key, getattr(p, key), key.upper())
    _choice(p.mixed_precision, MIXED_PRECISION, "MIXED_PRECISION")
    for name, low in (("epochs", 1), ("batch_size", 1), ("steps_per_epoch", 0),
                      ("early_stop_patience", 0), ("lr_cycle", 1), ("virtual_cpus", 0),
                      ("freeze_encoder_epochs", 0)):
        if int(getattr(p, name)) < low:
            raise InputError("{parameter} must be at least {low}; got {value}.",
                             parameter=name.upper(), low=low, value=getattr(p, name))
    if float(p.width) < 0:
        raise InputError("WIDTH must be positive (or 0, the network's default); got "
                         "{width}.", width=p.width)
    for name in ("learning_rate",):
        if not float(getattr(p, name)) > 0:
            raise InputError("{parameter} must be positive; got {value}.",
                             parameter=name.upper(), value=getattr(p, name))
    if float(p.min_lr) < 0:
        raise InputError("MIN_LR must not be negative; got {min_lr}.",
                         min_lr=p.min_lr)
    if p.init_model and p.init_mode == "resume":
        resume_source(p.init_model)
    elif p.init_model and not os.path.isfile(p.init_model):
        raise InputError("INIT_MODEL {init_model} does not exist.",
                         init_model=p.init_model)
    if p.encoder_weights != "none" and p.init_model:
        raise InputError("ENCODER_WEIGHTS {encoder_weights} starts a new network; with "
                         "INIT_MODEL {init_model} the weights come from that model: set "
                         "ENCODER_WEIGHTS to none.",
                         encoder_weights=p.encoder_weights, init_model=p.init_model)
    if p.encoder_weights == "file" and not (p.encoder_weights_file
                                           and os.path.isfile(p.encoder_weights_file)):
        raise InputError("ENCODER_WEIGHTS file needs ENCODER_WEIGHTS_FILE, an existing "
                         ".weights.h5 or .keras file; got {encoder_weights_file}.",
                         encoder_weights_file=repr(p.encoder_weights_file))
    if p.encoder_weights == "imagenet" and float(p.width) != 1.0:
        raise InputError("ENCODER_WEIGHTS imagenet needs WIDTH 1 (the published network's "
                         "width); got {width}.", width=p.width)
    if p.encoder_weights == "imagenet" and p.encoder not in catalog.IMAGENET_ENCODERS:
        raise InputError("ENCODER_WEIGHTS imagenet: Keras Applications publishes no ImageNet "
                         "weights for ENCODER {encoder}; choose one of {imagenet_encoders}.",
                         encoder=repr(p.encoder),
                         imagenet_encoders=", ".join(catalog.IMAGENET_ENCODERS))


def resume_source(init_model):
    """The checkpoint INIT_MODE=resume reads: INIT_MODEL itself when it is a
    checkpoint, else ``<INIT_MODEL stem>.resume.keras``; InputError naming both
    when neither exists."""
    checkpoint = modelfile.checkpoint_path(init_model)
    if os.path.isfile(checkpoint):
        return checkpoint
    raise InputError("INIT_MODE resume needs the resume checkpoint {checkpoint}, written "
                     "beside the output model while it trains (and removed when training "
                     "finishes), but it does not exist; to start again from a finished "
                     "model {init_model}, use INIT_MODE fine_tune.",
                     checkpoint=checkpoint, init_model=init_model)


# ---------------------------------------------------------------- devices
def configure_virtual_cpus(count):
    """Split the first CPU into ``count`` logical devices (before TF initialises)."""
    import tensorflow as tf

    cpus = tf.config.list_physical_devices("CPU")
    try:
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(int(count))])
    except RuntimeError as exc:
        raise InputError("VIRTUAL_CPUS must be set before TensorFlow starts: {error}",
                         error=exc) from None


def make_strategy(name, devices=None):
    """The tf.distribute strategy for ``name`` (see STRATEGIES)."""
    import tensorflow as tf

    if name == "mirrored":
        if not devices:
            gpus = tf.config.list_logical_devices("GPU")
            devices = [d.name for d in (gpus or tf.config.list_logical_devices("CPU"))]
        return tf.distribute.MirroredStrategy(devices=list(devices))
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def _use_mixed_precision(p):
    import tensorflow as tf

    if p.mixed_precision == "on":
        return True
    if p.mixed_precision == "off" or p.init_model:
        return False
    return bool(tf.config.list_physical_devices("GPU"))


def _optimizer(name, learning_rate):
    import keras

    if name == "adam":
        return keras.optimizers.Adam(learning_rate)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    return keras.optimizers.SGD(learning_rate, momentum=0.9)


# ---------------------------------------------------------------- callback
def _monitor_class():
    import keras

    class Monitor(keras.callbacks.Callback):
        """Progress + cancel, learning rate in the logs, best weights, early stop."""

        def __init__(self, progress, epochs, steps, patience, checkpoint=None):
            super().__init__()
            self.checkpoint = checkpoint  # checkpoint(monitor, epochs_done) or None
            self.progress = progress
            self.epochs = epochs
            self.steps = steps
            self.total = epochs * steps
            self.patience = patience
            self.step = 0
            self.last_report = 0.0
            self.history = []
            self.best = None   # (val_miou, epoch, val_accuracy, weights)
            self.wait = 0
            self.epoch = 0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch + 1

        def on_train_batch_begin(self, batch, logs=None):
            self.progress.check()

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            now = time.monotonic()
            last_of_epoch = (batch + 1) == self.steps
            if self.step == 1 or last_of_epoch or now - self.last_report >= 0.2:
                self.last_report = now
                self.progress(self.step / self.total, step=self.step, epoch=self.epoch,
                              metrics=_rounded(logs))
            else:
                self.progress.check()

        def on_test_batch_end(self, batch, logs=None):
            self.progress.check()

        def current_lr(self):
            lr = self.model.optimizer.learning_rate
            return float(np.asarray(keras.ops.convert_to_numpy(lr)))

        def restore(self, state, best_weights):
            """Continue a stopped run: its step, history, best epoch, patience."""
            self.step = int(state["step"])
            self.history = list(state["history"])
            miou, epoch, acc = state["best"]
            self.best = (float(miou), int(epoch), float(acc), best_weights)
            self.wait = int(state["wait"])

        def on_epoch_end(self, epoch, logs=None):
            logs = logs if logs is not None else {}
            logs["learning_rate"] = self.current_lr()
            record = {"epoch": epoch + 1, **_rounded(logs, 6)}
            self.history.append(record)
            miou = float(logs.get("val_miou", logs.get("miou", 0.0)))
            acc = float(logs.get("val_accuracy", logs.get("accuracy", 0.0)))
            if self.best is None or miou > self.best[0]:
                self.best = (miou, epoch + 1, acc, self.model.get_weights())
                self.wait = 0
            else:
                self.wait += 1
                if self.patience and self.wait >= self.patience:
                    self.model.stop_training = True
            if self.checkpoint is not None:
                self.checkpoint(self, epoch + 1)
            nan = float("nan")
            line = dict(epoch=epoch + 1, epochs=self.epochs, loss=logs.get("loss", nan),
                        miou=logs.get("miou", nan), val_loss=logs.get("val_loss", nan),
                        val_miou=miou, val_accuracy=acc, lr=logs["learning_rate"])
            if self.model.stop_training:
                self.progress.info(
                    "Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss "
                    "{val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, "
                    "learning rate {lr:.3g}; no gain for {wait} epochs: stopping early.",
                    wait=self.wait, **line)
            elif self.best[1] == epoch + 1:
                self.progress.info(
                    "Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss "
                    "{val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, "
                    "learning rate {lr:.3g} (best so far)", **line)
            else:
                self.progress.info(
                    "Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss "
                    "{val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, "
                    "learning rate {lr:.3g}", **line)
            self.progress(self.step / self.total, step=self.step, epoch=epoch + 1,
                          metrics=record)

    return Monitor


def _events_class():
    import keras
    import tensorflow as tf
    from tensorflow.core.framework import summary_pb2

    class EventWriter(keras.callbacks.Callback):
        """TensorBoard scalars per epoch (``train/`` and ``validation/`` runs).

        Written with TensorFlow's own summary ops, so the tensorboard package
        (not a dependency of tensorflow-cpu) is needed only to view them.
        """

        def __init__(self, folder):
            super().__init__()
            self.folder = folder
            meta = summary_pb2.SummaryMetadata()
            meta.plugin_data.plugin_name = "scalars"
            self.meta = meta.SerializeToString()
            self.writers = {}

        def _writer(self, run):
            if run not in self.writers:
                self.writers[run] = tf.summary.create_file_writer(
                    os.path.join(self.folder, run))
            return self.writers[run]

        def on_epoch_end(self, epoch, logs=None):
            for key, value in (logs or {}).items():
                run, tag = ("validation", key[4:]) if key.startswith("val_") else ("train", key)
                with self._writer(run).as_default():
                    tf.summary.write(f"epoch_{tag}", tf.constant(float(value), tf.float32),
                                     step=epoch + 1, metadata=self.meta)
            for writer in self.writers.values():
                writer.flush()

        def on_train_end(self, logs=None):
            self.close()

        def close(self):
            for writer in self.writers.values():
                writer.close()
            self.writers = {}

    return EventWriter


class _RunFiles:
    """What a run adds under a folder, so that a failed or cancelled run can
    take it back: files and folders that were not there when it began are
    removed (the folder too, and the parents it needed, if the run made
    them); what was there is left alone."""

    def __init__(self, folder):
        self.folder = os.path.abspath(folder)
        self.root = None  # the topmost folder this run will create
        top = self.folder
        while not os.path.exists(top):
            self.root, top = top, os.path.dirname(top)
        self.before = set() if self.root else set(self._walk())

    def _walk(self):
        for folder, dirs, files in os.walk(self.folder):
            for name in dirs + files:
                yield os.path.join(folder, name)

    def undo(self):
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            return
        for path in sorted(set(self._walk()) - self.before, reverse=True):  # children first
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                os.remove(path)


def _close_logs(callbacks):
    """Close the log files the callbacks hold (their on_train_end may not run)."""
    for callback in callbacks:
        if hasattr(callback, "close"):
            callback.close()
        csv_file = getattr(callback, "csv_file", None)
        if csv_file is not None and not csv_file.closed:
            csv_file.close()


def _rounded(logs, digits=5):
    out = {}
    for k, v in (logs or {}).items():
        try:
            out[k] = round(float(v), digits)
        except (TypeError, ValueError):
            pass
    return out


# ---------------------------------------------------------------- training
def _check_init_model(p, info, meta):
    """InputError when the INIT_MODEL's bands or classes do not fit the dataset."""
    if int(meta.get("bands", -1)) != info.bands:
        raise InputError("INIT_MODEL {init_model} takes {model_bands} band(s) but the "
                         "dataset {folder} has {dataset_bands}.",
                         init_model=p.init_model, model_bands=meta.get("bands"),
                         folder=info.folder, dataset_bands=info.bands)
    if len(meta["classes"]) != info.n_classes:
        raise InputError("INIT_MODEL {init_model} predicts {n_classes} classes but the "
                         "dataset {folder} has {dataset_classes} ({class_values}).",
                         init_model=p.init_model, n_classes=len(meta["classes"]),
                         folder=info.folder, dataset_classes=info.n_classes,
                         class_values=info.class_values)
    model_classes = [(int(c["value"]), str(c["name"])) for c in meta["classes"]]
    dataset_classes = [(e["value"], e["name"]) for e in modelfile.class_entries(
        info.class_values, info.class_names, info.class_colors)]
    if model_classes != dataset_classes:
        raise InputError("INIT_MODEL {init_model} does not fit the dataset {folder}: its "
                         "classes (value: name) are {model_classes}, the dataset's are "
                         "{dataset_classes}; each output channel must keep its value and "
                         "name.",
                         init_model=p.init_model, folder=info.folder,
                         model_classes=_class_list(model_classes),
                         dataset_classes=_class_list(dataset_classes))


def _class_list(pairs):
    return ", ".join(f"{value}: {name}" for value, name in pairs)


class _CancelWatch:
    """Cancels promptly even inside long Python work that reports no progress
    (building the network, tracing the first training step).

    A thread polls ``progress.check()``; when cancel was asked and the main
    thread has not stopped by itself within ``grace`` seconds, it makes the
    main thread raise Cancelled (through a SIGUSR1 handler run by
    ``_thread.interrupt_main``). Inactive outside the main thread.
    """

    def __init__(self, progress, grace=2.0, poll=0.25):
        self.progress = progress
        self.grace = grace
        self.poll = poll
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.active = False
        self.thread = None
        self.previous = None

    def __enter__(self):
        if (threading.current_thread() is threading.main_thread()
                and hasattr(signal, "SIGUSR1")):
            self.previous = signal.signal(signal.SIGUSR1, self._interrupt)
            self.active = True
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()
        return self

    def _interrupt(self, *_args):
        if self.active:
            raise Cancelled()

    def _run(self):
        while not self.stop.wait(self.poll):
            try:
                self.progress.check()
            except Cancelled:
                if self.stop.wait(self.grace):
                    return
                with self.lock:
                    if self.active:
                        _thread.interrupt_main(signal.SIGUSR1)
                return
            except Exception:  # a broken callback must not kill the run
                return

    def __exit__(self, *exc):
        with self.lock:
            self.active = False
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
            signal.signal(signal.SIGUSR1, self.previous)
        return False


def train(params, progress=None):
    """Train a network as ``params`` (a TrainParams) says; return a result dict."""
    progress = ensure(progress)
    with _CancelWatch(progress):
        return _train(params, progress)


def _logs_with_an_axis(step):
    """``step`` returning its scalar logs as 1-element vectors (multi-worker only)."""
    import tensorflow as tf

    def wrapped(data):
        return {k: tf.reshape(v, [1]) for k, v in step(data).items()}

    return wrapped


def _multi_worker_fixes(model, strategy_name):
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


def _has_encoder(model):
    return any(layer.name == "encoder" for layer in model.layers)


def _restore_optimizer(optimizer, values, checkpoint):
    """Give a freshly built optimizer the variable values of a checkpoint."""
    variables = optimizer.variables
    shapes = [tuple(v.shape) for v in variables]
    if len(values) != len(variables) or shapes != [tuple(v.shape) for v in values]:
        raise InputError("The resume checkpoint {checkpoint} holds the state of another "
                         "optimizer ({saved} variables, this run's has {current}).",
                         checkpoint=checkpoint, saved=len(values), current=len(variables))
    for variable, value in zip(variables, values):
        variable.assign(value)


# The settings a resumed run takes from its checkpoint: those of the stopped run.
_RESUMED = ("model", "encoder", "output_stride", "width", "loss", "class_weights",
            "optimizer", "learning_rate", "lr_mode", "min_lr", "lr_cycle", "lr_power",
            "batch_size", "epochs", "steps_per_epoch", "early_stop_patience", "augment",
            "cval", "label_cval", "freeze_encoder_epochs", "seed")


def _resumed_settings(p, state):
    for key in _RESUMED:
        if key in state.get("params", {}):
            setattr(p, key, state["params"][key])


def _checkpointer(p, info, classes, divisor, mixed, init_meta, steps, started, model):
    """checkpoint(monitor, epochs_done): write the resume checkpoint (see modelfile).

    The uncompiled twin that receives the weights is built here, outside the
    strategy's scope: built inside fit (where the callback runs), its variables
    would be distributed ones, and under MultiWorkerMirroredStrategy creating
    them is a collective operation that only the chief would join."""
    path = modelfile.checkpoint_path(p.output_model)
    lean = {"copy": modelfile.lean_copy(model, always=True)}  # never the model itself

    def checkpoint(monitor, epochs_done):
        model = monitor.model
        miou, best_epoch, acc, best_weights = monitor.best
        summary = {"epochs_run": epochs_done, "best_epoch": best_epoch,
                   "best_val_miou": round(miou, 6), "best_val_accuracy": round(acc, 6),
                   "duration_s": round(time.monotonic() - started, 1)}
        metadata = _metadata(p, info, classes, divisor, summary, monitor.history, mixed,
                             init_meta)
        state = {"epochs_done": epochs_done, "step": monitor.step, "steps": steps,
                 "best": [miou, best_epoch, acc], "wait": monitor.wait,
                 "history": monitor.history, "params": _public_params(p),
                 "optimizer_variables": [v.path for v in model.optimizer.variables]}
        values = [np.asarray(keras_ops_numpy(v)) for v in model.optimizer.variables]
        best = best_weights if best_epoch != epochs_done else None
        lean["copy"].set_weights(model.get_weights())
        modelfile.save_checkpoint(lean["copy"], path, metadata, state, values, best)

    checkpoint.path = path
    return checkpoint


def keras_ops_numpy(variable):
    import keras

    return keras.ops.convert_to_numpy(variable)


def _is_chief(strategy):
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not getattr(resolver, "task_type", None):
        return True
    spec = resolver.cluster_spec().as_dict()
    if resolver.task_type == "chief":
        return True
    return resolver.task_type == "worker" and resolver.task_id == 0 and "chief" not in spec


@dataclass(frozen=True)
class TrainPlan:
    """What a run will do, settled before TensorFlow starts (see :func:`prepare`).

    ``params`` carries the settings the run uses (a resumed run's are those of
    the stopped run; a fine-tuned one's network those of its INIT_MODEL);
    ``resume`` is ``(checkpoint, state, optimizer_values, best_weights)`` or
    None; ``steps`` the steps per epoch."""

    params: TrainParams
    info: object            # dataset.DatasetInfo
    divisor: int
    init_meta: dict = None
    resume: tuple = None
    steps: int = 1

    @property
    def total_steps(self):
        return self.steps * int(self.params.epochs)

    @property
    def classes(self):
        info = self.info
        return modelfile.class_entries(info.class_values, info.class_names, info.class_colors)


def prepare(p, progress=None):
    """Check a job against its dataset and INIT_MODEL and plan it, without
    importing TensorFlow or Keras: parameters, dataset facts, the tile size
    against the network's divisor, INIT_MODEL's bands and classes, the resume
    checkpoint, the schedule's length. InputError for the first thing that
    cannot work; a TrainPlan otherwise."""
    progress = ensure(progress)
    check_params(p)
    info = dataset_mod.read_info(p.dataset)
    for split in ("train", "val"):
        dataset_mod.check_listed(info, split)

    init_meta, resume = None, None
    if p.init_model and p.init_mode == "resume":
        source = resume_source(p.init_model)
        resume = (source,) + modelfile.read_checkpoint(source)
        init_meta = modelfile.read_metadata(source)
        _resumed_settings(p, resume[1])
    elif p.init_model:
        init_meta = modelfile.read_metadata(p.init_model)
    if init_meta is not None:
        p.model = init_meta.get("model", p.model)
        p.encoder = init_meta.get("encoder", p.encoder)
        p.output_stride = int(init_meta.get("output_stride", p.output_stride))
        p.width = float(init_meta.get("width", p.width))
        divisor = int(init_meta.get("required_divisor", 1))
    else:
        divisor = catalog.required_divisor(p.model, p.encoder, int(p.output_stride))
    if info.tile_size % divisor:
        raise InputError("The dataset's tiles are {tile_size} pixels but {model} + "
                         "{encoder} at output stride {output_stride} needs a multiple of "
                         "{divisor}: tile again with another TILE_SIZE or pick another "
                         "OUTPUT_STRIDE.",
                         tile_size=info.tile_size, model=p.model, encoder=p.encoder,
                         output_stride=p.output_stride, divisor=divisor)
    if init_meta is not None:
        _check_init_model(p, info, init_meta)
    if resume is not None:
        progress.info("Resuming {model} + {encoder} from {checkpoint} after epoch "
                      "{epochs_done} of {epochs}.", model=p.model, encoder=p.encoder,
                      checkpoint=resume[0], epochs_done=resume[1]["epochs_done"],
                      epochs=p.epochs)
        if int(resume[1]["epochs_done"]) >= int(p.epochs):
            raise InputError("The resume checkpoint {checkpoint} has all {epochs} epochs of "
                             "its run done: nothing to resume; fine-tune instead.",
                             checkpoint=resume[0], epochs=p.epochs)
    n_train = len(info.splits["train"])
    steps = int(p.steps_per_epoch) or max(1, math.ceil(n_train / int(p.batch_size)))
    if resume is not None:
        steps = int(resume[1]["steps"])  # the schedule's length is the stopped run's
    return TrainPlan(p, info, divisor, init_meta, resume, steps)


class _Run:
    """What a run has opened so far, for taking it back when it fails, and
    whether this process is the one that writes (the chief of a multi-worker
    run; any single-process run)."""

    def __init__(self, chief):
        self.chief = chief
        self.callbacks = []
        self.log_files = None
        self.history_csv = None  # log_dir's history.csv, when this run writes logs
        self.saved = False

    def undo(self):
        _close_logs(self.callbacks)
        if self.log_files is not None and not self.saved:
            self.log_files.undo()


def _train(p, progress):
    started = time.monotonic()
    plan = prepare(p, progress)
    import keras

    strategy = make_strategy(p.strategy, p.devices)
    mixed = _use_mixed_precision(p)
    previous_policy = keras.mixed_precision.global_policy().name
    keras.utils.set_random_seed(int(p.seed))
    cache_dir = tempfile.mkdtemp(prefix="semseg-train-")
    run = _Run(chief=_is_chief(strategy))
    try:
        if mixed:
            keras.mixed_precision.set_global_policy("mixed_float16")
        fitted = _fit(plan, run, strategy, mixed, cache_dir, progress, started)
        return _save(plan, run, *fitted, mixed, cache_dir, progress, started)
    except BaseException:
        # failed or cancelled before the model was written: take back the logs too
        run.undo()
        raise
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
        keras.mixed_precision.set_global_policy(previous_policy)


def _fit(plan, run, strategy, mixed, cache_dir, progress, started):
    """Build (or load) the network and fit it; ``(model, monitor, checkpoint
    path or None)``."""
    import keras

    from . import losses, schedules
    from ...models import registry

    p, info, steps, resume = plan.params, plan.info, plan.steps, plan.resume
    progress.info("Reading {n_train} training and {n_val} validation chips "
                  "({tile_size} x {tile_size}, {bands} bands, {n_classes} classes) "
                  "from {folder}.",
                  n_train=len(info.splits["train"]), n_val=len(info.splits["val"]),
                  tile_size=info.tile_size, bands=info.bands, n_classes=info.n_classes,
                  folder=info.folder)
    train_ds = dataset_mod.make_dataset(
        info, "train", p.batch_size, training=True, augment=bool(p.augment), cval=p.cval,
        label_cval=int(p.label_cval), seed=int(p.seed), progress=progress,
        cache_dir=cache_dir)
    if info.splits["val"]:
        val_ds = dataset_mod.make_dataset(info, "val", p.batch_size, progress=progress,
                                          cache_dir=cache_dir)
    else:
        progress.warning("The dataset has no validation chips (val.txt is empty): "
                         "validating on the training chips.")
        val_ds = dataset_mod.make_dataset(info, "train", p.batch_size, progress=progress,
                                          cache_dir=cache_dir)
    progress.check()

    weights = None
    if p.class_weights == "inverse_frequency":
        weights = losses.inverse_frequency_weights(info.class_counts).tolist()
    lr = schedules.make_schedule(p.lr_mode, float(p.learning_rate), plan.total_steps,
                                 min_lr=float(p.min_lr), power=float(p.lr_power),
                                 cycle_steps=int(p.lr_cycle) * steps)
    with strategy.scope():
        if resume is not None:
            model, _ = modelfile.load_model(resume[0])
        elif p.init_model:
            model, _ = modelfile.load_model(p.init_model)
            progress.info("Fine-tuning {model} + {encoder} from {init_model}.",
                          model=p.model, encoder=p.encoder, init_model=p.init_model)
        else:
            if p.encoder_weights == "imagenet":
                progress.info("Starting the {encoder} encoder from its ImageNet weights "
                              "(Keras Applications).", encoder=p.encoder)
            model = _build(registry, p, info)
        loss = losses.get_loss(p.loss, info.n_classes, IGNORE_INDEX, weights)
    if int(p.freeze_encoder_epochs) and not _has_encoder(model):
        raise InputError("FREEZE_ENCODER_EPOCHS needs a network with an encoder; "
                         "{name} has none.", name=model.name)
    setup = dict(name=model.name, parameters=model.count_params(), epochs=p.epochs,
                 steps=steps, batch_size=p.batch_size,
                 replicas=strategy.num_replicas_in_sync)
    if mixed:
        progress.info("{name}: {parameters:,} parameters; {epochs} epochs of {steps} "
                      "steps, batch {batch_size}, {replicas} replica(s), mixed "
                      "precision. Preparing the training step (the first step takes "
                      "longest).", **setup)
    else:
        progress.info("{name}: {parameters:,} parameters; {epochs} epochs of {steps} "
                      "steps, batch {batch_size}, {replicas} replica(s). Preparing the "
                      "training step (the first step takes longest).", **setup)
    progress.check()

    checkpoint = None
    if p.resume_checkpoint and run.chief:
        checkpoint = _checkpointer(p, info, plan.classes, plan.divisor, mixed, plan.init_meta,
                                   steps, started, model)
    monitor = _monitor_class()(progress, int(p.epochs), steps,
                               int(p.early_stop_patience), checkpoint)
    first_epoch = 0
    if resume is not None:
        first_epoch = int(resume[1]["epochs_done"])
        monitor.restore(resume[1], resume[3] if resume[3] is not None
                        else model.get_weights())
    run.callbacks.append(monitor)
    if p.log_dir and run.chief:
        history_csv = run.history_csv = os.path.join(p.log_dir, "history.csv")
        run.log_files = _RunFiles(p.log_dir)
        os.makedirs(p.log_dir, exist_ok=True)
        run.callbacks += [
            _events_class()(os.path.join(p.log_dir, "tensorboard")),
            # written under its partial name: an earlier history.csv stays until the end;
            # appended to, as each training phase (freeze, resume) is a fit of its own
            keras.callbacks.CSVLogger(outputs.partial_path(history_csv), append=True),
        ]
        if os.path.exists(outputs.partial_path(history_csv)):
            os.remove(outputs.partial_path(history_csv))
    freeze = int(p.freeze_encoder_epochs)
    phases = [(0, min(freeze, int(p.epochs)), True)] if freeze else []
    phases.append((min(freeze, int(p.epochs)), int(p.epochs), False))
    restore = resume[2] if resume is not None else None
    stopped = False
    for start, end, frozen in phases:
        if end <= first_epoch or start == end or stopped:
            continue
        start = max(start, first_epoch)
        with strategy.scope():
            if freeze:
                model.get_layer("encoder").trainable = not frozen
                if frozen:
                    progress.info("Epochs {first} to {last}: training the decoder, the "
                                  "encoder frozen.", first=start + 1, last=end)
                else:
                    progress.info("Epochs {first} to {last}: training the whole "
                                  "network.", first=start + 1, last=end)
            model.compile(optimizer=_optimizer(p.optimizer, lr), loss=loss,
                          metrics=keras_metrics(info.n_classes))
            model.optimizer.build(model.trainable_variables)
            if restore is not None:
                _restore_optimizer(model.optimizer, restore, resume[0])
                restore = None
            elif start:
                model.optimizer.iterations.assign(start * steps)  # the schedule goes on
            _multi_worker_fixes(model, p.strategy)
            model.fit(train_ds, initial_epoch=start, epochs=end, steps_per_epoch=steps,
                      validation_data=val_ds, callbacks=run.callbacks, verbose=0,
                      shuffle=False)
        stopped = bool(model.stop_training)
    return model, monitor, checkpoint.path if checkpoint is not None else None


def _save(plan, run, model, monitor, checkpoint_path, mixed, cache_dir, progress,
          started):
    """Write the best weights as the model file (the chief only), the logs, and
    remove the resume checkpoint; the run's result dict."""
    import keras

    from ...models import registry

    p, info, classes = plan.params, plan.info, plan.classes
    best_miou, best_epoch, best_acc, best_weights = monitor.best
    if mixed:
        keras.mixed_precision.set_global_policy("float32")
        final = _build(registry, p, info, encoder_weights=False)
    else:
        if _has_encoder(model):
            model.get_layer("encoder").trainable = True  # the file keeps no freeze
        # An uncompiled copy: the file carries neither our losses and metrics nor
        # the optimizer's state.
        final = modelfile.lean_copy(model)
    final.set_weights(best_weights)
    epochs_run = len(monitor.history)
    summary = {
        "epochs_run": epochs_run, "best_epoch": best_epoch,
        "best_val_miou": round(best_miou, 6), "best_val_accuracy": round(best_acc, 6),
        "duration_s": round(time.monotonic() - started, 1),
    }
    metadata = _metadata(p, info, classes, plan.divisor, summary, monitor.history, mixed,
                         plan.init_meta)
    progress.info("Saving the best network (epoch {best_epoch}, val mIoU "
                  "{best_miou:.4f}) to {output_model}.",
                  best_epoch=best_epoch, best_miou=best_miou, output_model=p.output_model)
    progress.check()
    if run.chief:
        modelfile.save_model(final, p.output_model, metadata)
        run.saved = True
    else:  # multi-worker: only the chief writes; the others' copies are dropped
        modelfile.save_model(final, os.path.join(cache_dir, "worker.keras"), metadata)
    if checkpoint_path and os.path.exists(checkpoint_path):
        os.remove(checkpoint_path)  # the run is complete: the model file is the result
    if run.history_csv:
        from . import training_logs

        os.replace(outputs.partial_path(run.history_csv), run.history_csv)
        training_logs.write(p.log_dir, monitor.history, {
            "parameters": _public_params(p), "classes": classes,
            "output_model": os.path.abspath(p.output_model), **summary})
    progress(1.0, step=monitor.step, epoch=epochs_run)
    return {
        "output_model": os.path.abspath(p.output_model),
        "best_val_miou": float(best_miou),
        "best_val_accuracy": float(best_acc),
        "best_epoch": int(best_epoch),
        "epochs_run": int(epochs_run),
        "log_dir": os.path.abspath(p.log_dir) if p.log_dir else "",
        "classes": classes,
    }


def _build(registry, p, info, encoder_weights=True):
    source = None
    if encoder_weights and p.encoder_weights == "imagenet":
        source = "imagenet"
    elif encoder_weights and p.encoder_weights == "file":
        source = p.encoder_weights_file
    try:
        return registry.build_model(p.model, p.encoder, info.n_classes, info.bands,
                                     output_stride=int(p.output_stride),
                                     input_size=info.tile_size,
                                     encoder_weights=source,
                                     width=float(p.width))
    except ValueError as exc:
        raise InputError("{error}", error=exc) from None


def _public_params(p):
    out = asdict(p)
    for key in ("virtual_cpus", "devices"):
        if not out.get(key):
            out.pop(key, None)
    return out


def _metadata(p, info, classes, divisor, summary, history, mixed, init_meta):
    """The model file's metadata (save_model adds format, version, plugin
    version and creation time)."""
    return {
        "classes": classes,
        "bands": info.bands,
        "band_names": info.band_names,
        "data_type": info.data_type,
        "nodata": info.nodata,
        "mean": info.mean,
        "std": info.std,
        "tile_size": info.tile_size,
        "resolution": info.resolution,
        "crs_units": info.crs_units,
        "model": p.model,
        "encoder": p.encoder,
        "output_stride": int(p.output_stride),
        "required_divisor": int(divisor),
        "width": float(p.width),
        "loss": p.loss,
        "class_weights": p.class_weights,
        "optimizer": p.optimizer,
        "learning_rate": float(p.learning_rate),
        "lr_mode": p.lr_mode,
        "batch_size": int(p.batch_size),
        "epochs": int(p.epochs),
        "epochs_run": summary["epochs_run"],
        "best_epoch": summary["best_epoch"],
        "best_val_miou": summary["best_val_miou"],
        "best_val_accuracy": summary["best_val_accuracy"],
        "ignore_value": info.ignore_value,
        "trained_with_mixed_precision": bool(mixed),
        "init_model": os.path.abspath(p.init_model) if p.init_model else None,
        "init_mode": p.init_mode if p.init_model else None,
        "encoder_weights": p.encoder_weights,
        "freeze_encoder_epochs": int(p.freeze_encoder_epochs),
        "parent_created": (init_meta or {}).get("created"),
        "dataset": os.path.abspath(info.folder),
        "history": {
            "epochs": [{k: h[k] for k in h if k in ("epoch", "loss", "val_loss", "miou",
                                                     "val_miou", "accuracy", "val_accuracy",
                                                     "learning_rate")} for h in history],
            "duration_s": summary["duration_s"],
        },
    }


def run_job(params, progress=None):
    """The worker's entry: ``params`` is the job's dict (see TrainParams)."""
    values = dict(params or {})
    if int(values.get("virtual_cpus") or 0) > 1:
        configure_virtual_cpus(int(values["virtual_cpus"]))
    return train(TrainParams.from_dict(values), progress)
