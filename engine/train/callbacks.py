"""The Keras callbacks of a training run.

``Monitor``: progress and cancel every batch, the learning rate in each
epoch's logs, the best weights by validation mIoU, early stopping, and the
resume checkpoint after every epoch. ``EventWriter``: TensorBoard scalars per
epoch, written without TensorFlow (event_files.py) so that every Keras backend
logs them. ``close_logs`` closes the files callbacks hold when a run stops
early.

Keras at import: only a run imports this module (fit.py).
"""

import os
import time

import keras
import numpy as np

from .event_files import EventFile


class Monitor(keras.callbacks.Callback):
    """Progress + cancel, learning rate in the logs, best weights, early stop."""

    def __init__(self, progress, epochs, steps, patience, checkpoint=None, select_best=True):
        super().__init__()
        # select_best False (too few validation chips to judge by): the last
        # epoch is kept, and the run never stops early
        self.select_best = select_best
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
        if self.best is None or miou > self.best[0] or not self.select_best:
            self.best = (miou, epoch + 1, acc, self.model.get_weights())
            self.wait = 0
        else:
            self.wait += 1
            if self.patience and self.wait >= self.patience:
                self.model.stop_training = True
        if self.checkpoint is not None:
            self.checkpoint(self, epoch + 1)
        self._report_epoch(epoch, logs, miou, acc)
        self.progress(self.step / self.total, step=self.step, epoch=epoch + 1,
                      metrics=record)

    def _report_epoch(self, epoch, logs, miou, acc):
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
        elif self.select_best and self.best[1] == epoch + 1:
            self.progress.info(
                "Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss "
                "{val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, "
                "learning rate {lr:.3g} (best so far)", **line)
        else:
            self.progress.info(
                "Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss "
                "{val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, "
                "learning rate {lr:.3g}", **line)


class EventWriter(keras.callbacks.Callback):
    """TensorBoard scalars per epoch (``train/`` and ``validation/`` runs).

    Written by event_files.py (standard library, any Keras backend); the
    tensorboard package is needed only to view them.
    """

    def __init__(self, folder):
        super().__init__()
        self.folder = folder
        self.writers = {}

    def _writer(self, run):
        if run not in self.writers:
            self.writers[run] = EventFile(os.path.join(self.folder, run))
        return self.writers[run]

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            run, tag = ("validation", key[4:]) if key.startswith("val_") else ("train", key)
            self._writer(run).scalar(f"epoch_{tag}", float(value), step=epoch + 1)
        for writer in self.writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        self.close()

    def close(self):
        for writer in self.writers.values():
            writer.close()
        self.writers = {}


def close_logs(callbacks):
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
