"""Train Model's Keras side: fit the planned run, checkpoint it every epoch,
save the best network.

``fit(plan, run)`` reads the chips (``batches.make_batches``), builds the
network (or loads INIT_MODEL or the resume checkpoint) under the run's
strategy, and fits it in phases (the encoder frozen first when
FREEZE_ENCODER_EPOCHS asks); the ``Monitor`` callback keeps the best
weights and writes the resume checkpoint (``Checkpointer``). ``save(plan,
run, model, monitor)`` writes the best weights as the model file with its
metadata, and the logs. ``Run`` holds how a run computes and what it has
opened so far, which ``Run.undo`` takes back when it fails.

Keras at import: only a run imports this module (training.py, after the plan).
"""

import os
import shutil
import time
from dataclasses import asdict, dataclass, field

import keras
import numpy as np

from .. import outputs
from ..data import batches as batches_mod
from ..data import footprints as footprints_mod
from ..data.labels import IGNORE
from ..errors import InputError
from ..formats import modelfile
from ...models import registry
from . import losses, schedules
from .callbacks import EventWriter, Monitor, close_logs
from .distribute import multi_worker_fixes
from .train_metrics import keras_metrics


@dataclass
class Run:
    """One run under way: how it computes (strategy, mixed precision, whether
    this process is the one that writes: the chief of a multi-worker run, any
    single-process run), and what it has opened so far, for taking it back
    when it fails."""

    strategy: object
    chief: bool
    mixed: bool
    progress: object
    started: float           # time.monotonic() when the job began
    cache_dir: str           # the run's scratch folder (chips, a worker's model copy)
    callbacks: list = field(default_factory=list)
    log_files: "RunFiles" = None
    history_csv: str = None  # log_dir's history.csv, when this run writes logs
    checkpoint_path: str = None  # the resume checkpoint, when this run writes one
    saved: bool = False
    footprints: list = None  # the training chips' footprints (the model file's metadata)
    setup_share: float = 0.0  # the bar's share before the first step (training.SETUP_SHARE)

    def undo(self):
        close_logs(self.callbacks)
        if self.log_files is not None and not self.saved:
            self.log_files.undo()


class RunFiles:
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


# ---------------------------------------------------------------- fit
def fit(plan, run):
    """Build (or load) the network and fit it; ``(model, monitor)``."""
    p = plan.params
    data = _datasets(plan, run)
    # a fine-tuned or resumed network learnt where its INIT_MODEL did, too
    run.footprints = footprints_mod.training_footprints(plan.info.folder,
                                                         plan.info.splits["train"]) \
        + [f for f in (plan.init_meta or {}).get("training_footprints") or []
           if p.init_mode != "resume"]
    lr = schedules.make_schedule(p.lr_mode, float(p.learning_rate), plan.total_steps,
                                 min_lr=float(p.min_lr), power=float(p.lr_power),
                                 cycle_steps=int(p.lr_cycle) * plan.steps)
    run.progress(run.setup_share * 0.75)
    model, loss = _network(plan, run)
    run.progress(run.setup_share)
    _describe(plan, run, model)
    monitor = _monitor(plan, run, model)
    if p.log_dir and run.chief:
        _open_logs(p.log_dir, run)
    _fit_phases(plan, run, model, loss, lr, data)
    return model, monitor


def _datasets(plan, run):
    """``(training, validation)`` batches (data/batches.py); the training
    chips validate when the dataset has no validation chips."""
    p, info, progress = plan.params, plan.info, run.progress
    progress.info("Reading {n_train} training and {n_val} validation chips "
                  "({tile_size} x {tile_size}, {bands} bands, {n_classes} classes) "
                  "from {folder}.",
                  n_train=len(info.splits["train"]), n_val=len(info.splits["val"]),
                  tile_size=info.tile_size, bands=info.bands, n_classes=info.n_classes,
                  folder=info.folder)
    train_ds = batches_mod.make_batches(
        info, "train", p.batch_size, training=True, augment=bool(p.augment), cval=p.cval,
        label_cval=int(p.label_cval), seed=int(p.seed), progress=progress,
        cache_dir=run.cache_dir)
    if info.splits["val"]:
        val_ds = batches_mod.make_batches(info, "val", p.batch_size, progress=progress,
                                          cache_dir=run.cache_dir)
    else:
        progress.warning("The dataset has no validation chips (val.txt is empty): "
                         "validating on the training chips.")
        val_ds = train_ds.in_order()  # the chips decoded once, not again
    progress.check()
    return train_ds, val_ds


def _network(plan, run):
    """``(model, loss)``, made under the strategy's scope: the resume
    checkpoint's network, INIT_MODEL's, or a new one."""
    p, info, progress = plan.params, plan.info, run.progress
    weights = None
    if p.class_weights == "inverse_frequency":
        weights = losses.inverse_frequency_weights(info.class_counts).tolist()
    with run.strategy.scope():
        if plan.resume is not None:
            model, _ = modelfile.load_model(plan.resume.checkpoint)
        elif p.init_model:
            model, _ = modelfile.load_model(p.init_model)
            progress.info("Fine-tuning {model} + {encoder} from {init_model}.",
                          model=p.model, encoder=p.encoder, init_model=p.init_model)
        else:
            if p.encoder_weights == "imagenet":
                progress.info("Starting the {encoder} encoder from its ImageNet weights "
                              "(Keras Applications).", encoder=p.encoder)
            model = _build(plan)
        loss = losses.get_loss(p.loss, info.n_classes, IGNORE, weights)
    return model, loss


def _describe(plan, run, model):
    """Say what will run (the network's size, epochs, steps, replicas)."""
    p, progress = plan.params, run.progress
    if int(p.freeze_encoder_epochs) and not _has_encoder(model):
        raise InputError("FREEZE_ENCODER_EPOCHS needs a network with an encoder; "
                         "{name} has none.", name=model.name)
    setup = dict(name=model.name, parameters=model.count_params(), epochs=p.epochs,
                 steps=plan.steps, batch_size=p.batch_size,
                 replicas=run.strategy.num_replicas_in_sync)
    if run.mixed:
        progress.info("{name}: {parameters:,} parameters; {epochs} epochs of {steps} "
                      "steps, batch {batch_size}, {replicas} replica(s), mixed "
                      "precision. Preparing the training step (the first step takes "
                      "longest).", **setup)
    else:
        progress.info("{name}: {parameters:,} parameters; {epochs} epochs of {steps} "
                      "steps, batch {batch_size}, {replicas} replica(s). Preparing the "
                      "training step (the first step takes longest).", **setup)
    progress.check()


def _monitor(plan, run, model):
    """The run's Monitor (with the resume checkpoint when this process writes
    one), holding a resumed run's history and best epoch; the run's first
    callback."""
    p, resume = plan.params, plan.resume
    checkpoint = None
    if p.resume_checkpoint and run.chief:
        checkpoint = Checkpointer(plan, run, model)
        run.checkpoint_path = checkpoint.path
    monitor = Monitor(run.progress.sub(run.setup_share, 1.0), int(p.epochs), plan.steps,
                      int(p.early_stop_patience), checkpoint, select_best=plan.select_best)
    if resume is not None:
        monitor.restore(resume.state, resume.best_weights if resume.best_weights is not None
                        else model.get_weights())
    run.callbacks.append(monitor)
    return monitor


def _open_logs(log_dir, run):
    """Add the TensorBoard and CSV callbacks writing into ``log_dir``."""
    run.history_csv = os.path.join(log_dir, "history.csv")
    run.log_files = RunFiles(log_dir)
    os.makedirs(log_dir, exist_ok=True)
    run.callbacks += [
        EventWriter(os.path.join(log_dir, "tensorboard")),
        # written in the run's scratch folder (a killed worker leaves nothing in
        # log_dir; its parent removes the folder): an earlier history.csv stays until
        # the end; appended to, as each training phase (freeze, resume) is a fit of its own
        keras.callbacks.CSVLogger(_scratch_history(run), append=True),
    ]


def _scratch_history(run):
    """Where the CSV logger writes history.csv until the run is saved."""
    return os.path.join(run.cache_dir, "history.csv")


def _phases(p):
    """``(first epoch, end epoch, encoder frozen)`` of each fit."""
    freeze = int(p.freeze_encoder_epochs)
    phases = [(0, min(freeze, int(p.epochs)), True)] if freeze else []
    phases.append((min(freeze, int(p.epochs)), int(p.epochs), False))
    return phases


def _fit_phases(plan, run, model, loss, lr, data):
    """``model.fit`` for each phase not done yet (a resumed run skips those
    its checkpoint has done), until one stops early."""
    p, resume = plan.params, plan.resume
    train_ds, val_ds = data
    first_epoch = resume.epochs_done if resume is not None else 0
    optimizer_values = resume.optimizer_values if resume is not None else None
    stopped = False
    for start, end, frozen in _phases(p):
        if end <= first_epoch or start == end or stopped:
            continue
        start = max(start, first_epoch)
        with run.strategy.scope():
            if int(p.freeze_encoder_epochs):
                _freeze_encoder(model, frozen, start, end, run.progress)
            _compile(plan, model, loss, lr, start, optimizer_values)
            optimizer_values = None  # the checkpoint's state goes to the first fit only
            multi_worker_fixes(model, p.strategy)
            # the stream's batches from this phase's first step: a resumed run
            # trains on the batches the uninterrupted run would have
            batches = train_ds.window(start * plan.steps, (end - start) * plan.steps)
            model.fit(batches, initial_epoch=start, epochs=end, steps_per_epoch=plan.steps,
                      validation_data=val_ds, callbacks=run.callbacks, verbose=0,
                      shuffle=False)
        stopped = bool(model.stop_training)


def _freeze_encoder(model, frozen, start, end, progress):
    model.get_layer("encoder").trainable = not frozen
    if frozen:
        progress.info("Epochs {first} to {last}: training the decoder, the "
                      "encoder frozen.", first=start + 1, last=end)
    else:
        progress.info("Epochs {first} to {last}: training the whole "
                      "network.", first=start + 1, last=end)


def _compile(plan, model, loss, lr, start, optimizer_values):
    """Compile for a phase with a fresh optimizer: given the stopped run's
    ``optimizer_values`` when resuming, else its step counter at ``start``
    (the schedule goes on)."""
    model.compile(optimizer=_optimizer(plan.params.optimizer, lr), loss=loss,
                  metrics=keras_metrics(plan.info.n_classes))
    model.optimizer.build(model.trainable_variables)
    if optimizer_values is not None:
        _restore_optimizer(model.optimizer, optimizer_values, plan.resume.checkpoint)
    elif start:
        model.optimizer.iterations.assign(start * plan.steps)


def _optimizer(name, learning_rate):
    if name == "adam":
        return keras.optimizers.Adam(learning_rate)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    return keras.optimizers.SGD(learning_rate, momentum=0.9)


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


def _has_encoder(model):
    return any(layer.name == "encoder" for layer in model.layers)


def _build(plan, encoder_weights=True):
    """A new network for the plan (its encoder from ENCODER_WEIGHTS unless
    ``encoder_weights`` is False)."""
    p, info = plan.params, plan.info
    source = None
    if encoder_weights and p.encoder_weights == "imagenet":
        source = "imagenet"
    elif encoder_weights and p.encoder_weights == "file":
        source = p.encoder_weights_file
        if str(source).lower().endswith(modelfile.SUFFIX):  # the model files' checks
            modelfile.check_keras_file(source)
    try:
        return registry.build_model(p.model, p.encoder, info.n_classes, info.bands,
                                     output_stride=int(p.output_stride),
                                     input_size=info.tile_size,
                                     encoder_weights=source,
                                     width=float(p.width), seed=int(p.seed))
    except ValueError as exc:
        raise InputError("{error}", error=exc) from None


# ---------------------------------------------------------------- checkpoint
class Checkpointer:
    """``checkpointer(monitor, epochs_done)``: write the resume checkpoint
    (see modelfile) at ``path``.

    The uncompiled twin that receives the weights is built here, outside the
    strategy's scope: built inside fit (where the callback runs), its variables
    would be distributed ones, and under MultiWorkerMirroredStrategy creating
    them is a collective operation that only the chief would join."""

    def __init__(self, plan, run, model):
        self.plan = plan
        self.run = run
        self.path = modelfile.checkpoint_path(plan.params.output_model)
        self.lean = modelfile.lean_copy(model, always=True)  # never the model itself

    def __call__(self, monitor, epochs_done):
        model = monitor.model
        miou, best_epoch, acc, best_weights = monitor.best
        metadata = _metadata(self.plan, _summary(monitor, epochs_done, self.run.started),
                             monitor.history, self.run.mixed, self.run.footprints)
        state = {"epochs_done": epochs_done, "step": monitor.step, "steps": self.plan.steps,
                 "best": [miou, best_epoch, acc], "wait": monitor.wait,
                 "history": monitor.history, "params": _public_params(self.plan.params),
                 "optimizer_variables": [v.path for v in model.optimizer.variables]}
        values = [np.asarray(keras.ops.convert_to_numpy(v))
                  for v in model.optimizer.variables]
        best = best_weights if best_epoch != epochs_done else None
        self.lean.set_weights(model.get_weights())
        modelfile.save_checkpoint(self.lean, self.path, metadata, state, values, best)


# ---------------------------------------------------------------- save
def save(plan, run, model, monitor):
    """Write the best weights as the model file (the chief only), the logs, and
    remove the resume checkpoint; the run's result dict."""
    p, progress = plan.params, run.progress
    best_miou, best_epoch, best_acc, best_weights = monitor.best
    final = _final_network(plan, run, model)
    final.set_weights(best_weights)
    epochs_run = len(monitor.history)
    summary = _summary(monitor, epochs_run, run.started)
    metadata = _metadata(plan, summary, monitor.history, run.mixed, run.footprints)
    if plan.select_best:
        progress.info("Saving the best network (epoch {best_epoch}, val mIoU "
                      "{best_miou:.4f}) to {output_model}.",
                      best_epoch=best_epoch, best_miou=best_miou, output_model=p.output_model)
    else:
        progress.info("Saving the last epoch's network (epoch {best_epoch}, val mIoU "
                      "{best_miou:.4f}) to {output_model}.",
                      best_epoch=best_epoch, best_miou=best_miou, output_model=p.output_model)
    progress.check()
    if run.chief:
        modelfile.save_model(final, p.output_model, metadata)
        run.saved = True
    else:  # multi-worker: only the chief writes; the others' copies are dropped
        modelfile.save_model(final, os.path.join(run.cache_dir, "worker.keras"), metadata)
    if run.checkpoint_path and os.path.exists(run.checkpoint_path):
        os.remove(run.checkpoint_path)  # the run is complete: the model file is the result
    if run.history_csv:
        _finish_logs(plan, run, monitor.history, summary)
    progress(1.0, step=monitor.step, epoch=epochs_run)
    return {
        "output_model": os.path.abspath(p.output_model),
        "best_val_miou": float(best_miou),
        "best_val_accuracy": float(best_acc),
        "best_epoch": int(best_epoch),
        "epochs_run": int(epochs_run),
        "log_dir": os.path.abspath(p.log_dir) if p.log_dir else "",
        "classes": plan.classes,
    }


def _final_network(plan, run, model):
    """The network the model file holds: uncompiled and float32."""
    if run.mixed:
        keras.mixed_precision.set_global_policy("float32")
        return _build(plan, encoder_weights=False)
    if _has_encoder(model):
        model.get_layer("encoder").trainable = True  # the file keeps no freeze
    # An uncompiled copy: the file carries neither our losses and metrics nor
    # the optimizer's state.
    return modelfile.lean_copy(model)


def _finish_logs(plan, run, history, summary):
    """history.csv under its own name; history.json, curves and the HTML page."""
    from . import training_logs

    p = plan.params
    partial = outputs.partial_path(run.history_csv)
    shutil.copyfile(_scratch_history(run), partial)  # the scratch folder may be on another disk
    os.replace(partial, run.history_csv)
    training_logs.write(p.log_dir, history, {
        "parameters": _public_params(p), "classes": plan.classes,
        "output_model": os.path.abspath(p.output_model), **summary})


def _summary(monitor, epochs_run, started):
    """The run's figures so far: epochs run, the best epoch's, the duration."""
    miou, best_epoch, acc, _weights = monitor.best
    return {"epochs_run": epochs_run, "best_epoch": best_epoch,
            "best_val_miou": round(miou, 6), "best_val_accuracy": round(acc, 6),
            "duration_s": round(time.monotonic() - started, 1)}


def _public_params(p):
    out = asdict(p)
    for key in ("virtual_cpus", "devices"):
        if not out.get(key):
            out.pop(key, None)
    return out


def _metadata(plan, summary, history, mixed, footprints=None):
    """The model file's metadata (save_model adds format, version, plugin
    version and creation time); ``footprints``: where the training chips lie
    (data/footprints.py), which Evaluate compares with its reference."""
    p, info = plan.params, plan.info
    return {
        "classes": plan.classes,
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
        "required_divisor": int(plan.divisor),
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
        "trained_on": keras.backend.backend(),  # the file itself is the same on any
        "init_model": os.path.abspath(p.init_model) if p.init_model else None,
        "init_mode": p.init_mode if p.init_model else None,
        "encoder_weights": p.encoder_weights,
        "freeze_encoder_epochs": int(p.freeze_encoder_epochs),
        "parent_created": (plan.init_meta or {}).get("created"),
        "dataset": os.path.abspath(info.folder),
        "training_footprints": footprints or [],
        "history": {
            "epochs": [{k: h[k] for k in h if k in ("epoch", "loss", "val_loss", "miou",
                                                     "val_miou", "accuracy", "val_accuracy",
                                                     "learning_rate")} for h in history],
            "duration_s": summary["duration_s"],
        },
    }
