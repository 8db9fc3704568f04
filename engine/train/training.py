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

Progress: the set-up (TensorFlow's import, the chips, the network) moves the
bar through its first :data:`SETUP_SHARE`, then ``fraction = SETUP_SHARE +
(1 - SETUP_SHARE) * step / total_steps``, reported every batch (at most
every 0.2 s, with ``step``, ``epoch`` and the batch's ``metrics`` as the
report's extras) together with the cancel check; ``errors.Cancelled``
propagates out of ``model.fit``. The worker calls ``run_job(params_dict,
progress)``.

This module is the job and its plan, and imports no TensorFlow: ``prepare``
checks a job and settles what it will do before TensorFlow starts; then
``fit.py`` (the Keras side: fit, checkpoint, save), with ``callbacks.py``,
``train_metrics.py``, ``losses.py``, ``schedules.py`` and ``distribute.py``,
runs it.
"""

import _thread
import math
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass

from ..data import dataset as dataset_mod
from ..data import splits
from .. import backends, options
from ..formats import modelfile
from ..errors import Cancelled, InputError
from ..progress import ensure
from ...models import catalog

OPTIMIZERS = tuple(options.names("optimizer"))
# The share of the progress bar that the set-up takes (TensorFlow's import, reading
# the chips, building the network) before the first step, so the bar moves from the
# start instead of showing "busy" for the seconds that takes; the steps fill the rest.
SETUP_SHARE = 0.02
STRATEGIES = tuple(options.names("strategy"))
MIXED_PRECISION = ("auto", "on", "off")


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
    # image fill (raw pixel value) for augmentation's zoomed-out border; None:
    # each band's training mean. A raw 0 on 16-bit imagery lies 5 to 9 standard
    # deviations below the mean and made one run in three lose a class
    # (bench/results/collapse_investigation.txt).
    cval: float = None
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
    seed: int = 0                        # starting network and batches, alike on every backend
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


# ---------------------------------------------------------------- plan
@dataclass(frozen=True)
class Resume:
    """A stopped run that INIT_MODE resume continues: its checkpoint file and
    what that holds (``modelfile.read_checkpoint``)."""

    checkpoint: str
    state: dict                # epochs_done, step, steps, best, wait, history, params
    optimizer_values: list     # the optimizer's variables, in its order
    best_weights: list = None  # the best epoch's weights; None: the last epoch's

    @classmethod
    def read(cls, checkpoint):
        return cls(checkpoint, *modelfile.read_checkpoint(checkpoint))

    @property
    def epochs_done(self):
        return int(self.state["epochs_done"])

    @property
    def steps(self):
        """Steps per epoch: the schedule's length is the stopped run's."""
        return int(self.state["steps"])


@dataclass(frozen=True)
class TrainPlan:
    """What a run will do, settled before TensorFlow starts (see :func:`prepare`).

    ``params`` carries the settings the run uses (a resumed run's are those of
    the stopped run; a fine-tuned one's network those of its INIT_MODEL);
    ``resume`` the stopped run that INIT_MODE resume continues, or None;
    ``steps`` the steps per epoch; ``select_best`` False when the validation chips
    are too few to choose epochs by (:func:`judges_epochs`): the run then keeps
    the last epoch and does not stop early."""

    params: TrainParams
    info: object            # dataset.DatasetInfo
    divisor: int
    init_meta: dict = None
    resume: Resume = None
    steps: int = 1
    select_best: bool = True

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
        resume = Resume.read(resume_source(p.init_model))
        init_meta = modelfile.read_metadata(resume.checkpoint)
        _resumed_settings(p, resume.state)
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
                      checkpoint=resume.checkpoint, epochs_done=resume.epochs_done,
                      epochs=p.epochs)
        if resume.epochs_done >= int(p.epochs):
            raise InputError("The resume checkpoint {checkpoint} has all {epochs} epochs of "
                             "its run done: nothing to resume; fine-tune instead.",
                             checkpoint=resume.checkpoint, epochs=p.epochs)
    n_train = len(info.splits["train"])
    steps = int(p.steps_per_epoch) or max(1, math.ceil(n_train / int(p.batch_size)))
    if resume is not None:
        steps = resume.steps
    return TrainPlan(p, info, divisor, init_meta, resume, steps,
                     judges_epochs(info, progress))


def judges_epochs(info, progress):
    """Whether the dataset's validation chips are enough to choose the best epoch
    (and stop early) by; when they are too few (engine/data/splits.py: fewer than
    8, or than 5 % of the chips) a run keeps its last epoch instead, and says so.
    No validation chips at all keeps the old rule: the training chips validate."""
    n_val, n_train = len(info.splits["val"]), len(info.splits["train"])
    if not n_val or not splits.too_few_for_validation(n_val, n_val + n_train):
        return True
    progress.warning("The dataset {folder} has {n_val} validation chips of {n_chips}: fewer "
                     "than {minimum} are too few to choose the best epoch by, so the model "
                     "keeps the last epoch and training does not stop early. Tile with a "
                     "larger validation fraction, more scenes or a validation area.",
                     folder=info.folder, n_val=n_val, n_chips=n_val + n_train,
                     minimum=splits.min_validation_chips(n_val + n_train))
    return False


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


# The settings a resumed run takes from its checkpoint: those of the stopped run.
_RESUMED = ("model", "encoder", "output_stride", "width", "loss", "class_weights",
            "optimizer", "learning_rate", "lr_mode", "min_lr", "lr_cycle", "lr_power",
            "batch_size", "epochs", "steps_per_epoch", "early_stop_patience", "augment",
            "cval", "label_cval", "freeze_encoder_epochs", "seed")


def _resumed_settings(p, state):
    for key in _RESUMED:
        if key in state.get("params", {}):
            setattr(p, key, state["params"][key])


# ---------------------------------------------------------------- run
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


def _train(p, progress):
    started = time.monotonic()
    plan = prepare(p, progress)
    progress(SETUP_SHARE * 0.25)  # the plan holds: TensorFlow starts
    import keras

    from . import distribute, fit

    strategy = distribute.make_strategy(p.strategy, p.devices)
    facts = backends.log_backend(progress)  # lists the devices once
    mixed = distribute.use_mixed_precision(p, facts["device_type"] == "GPU")
    previous_policy = keras.mixed_precision.global_policy().name
    keras.utils.set_random_seed(int(p.seed))
    cache_dir = tempfile.mkdtemp(prefix="semseg-train-")
    run = fit.Run(strategy=strategy, chief=distribute.is_chief(strategy), mixed=mixed,
                  progress=progress, started=started, cache_dir=cache_dir,
                  setup_share=SETUP_SHARE)
    try:
        if mixed:
            keras.mixed_precision.set_global_policy("mixed_float16")
        model, monitor = fit.fit(plan, run)
        return fit.save(plan, run, model, monitor)
    except BaseException:
        # failed or cancelled before the model was written: take back the logs too
        run.undo()
        raise
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
        keras.mixed_precision.set_global_policy(previous_policy)


def run_job(params, progress=None):
    """The worker's entry: ``params`` is the job's dict (see TrainParams)."""
    values = dict(params or {})
    if int(values.get("virtual_cpus") or 0) > 1:
        from .distribute import configure_virtual_cpus

        configure_virtual_cpus(int(values["virtual_cpus"]))
    return train(TrainParams.from_dict(values), progress)
