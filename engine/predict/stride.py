"""Stride mode (Predict Raster's default): a scene in overlapping windows,
never held in memory.

- The windows come from the plan (:mod:`.window_plan`): anchored to the
  scene's own pixel grid (not to EXTENT), so predicting a scene as several
  extents and mosaicking them gives the same class raster, byte for byte, as
  one run. A window whose size is not a multiple of the network's divisor (a
  scene smaller than a window) is reflect-padded up to one (:func:`pad`) and
  the padding cut off again.
- A :class:`Reader` thread reads each window (the run's source: valid mask
  and ``(x - mean) / std`` as float32, invalid pixels -> 0, the training
  mean) and queues it while the network runs the current batch. Windows
  with no valid pixel (all nodata, or outside the mask: the mask is read
  first) get no forward pass; windows outside EXTENT are not even read.
  Both counts are in the result and the log.
- The main thread (:func:`predict_windows`) runs batches through the
  predictor (:mod:`.predictors`: the network behind one seam, traced once;
  test-time augmentation averaged there, batch halved on out-of-memory),
  weights each window's probabilities with :func:`.blending.weight_window`
  and sums them into a :class:`.blending.RowBand` one window high and as
  wide as the windows' hull (or one strip of it: window_plan.make_strips).
  When the next row of windows begins, the finished rows go to the writer
  (:class:`.output_rasters.Writer`), which writes them inline by GDAL
  windowed writes. Memory: ``window x width x classes`` float32 plus a few
  batches.
"""

import dataclasses
import queue
import threading
import time
from typing import Optional, Tuple

import numpy as np

from . import blending, predictors


def pad(x, height, width):
    """Reflect-pad (h, w, c) at the bottom/right up to (height, width)."""
    h, w = x.shape[:2]
    if (h, w) == (height, width):
        return x
    mode = "reflect" if height - h < h and width - w < w else "symmetric"
    if mode == "symmetric" and (height - h > h or width - w > w):
        mode = "edge"
    return np.pad(x, ((0, height - h), (0, width - w), (0, 0)), mode=mode)


class Reader(threading.Thread):
    """Reads and normalises windows ahead of the network (a prefetch queue):
    ``windows`` is ``[(tag, window)]`` in reading order, and :meth:`items`
    yields ``(tag, window, pixels or None, valid mask)``. ``make_source``
    makes the thread's own source (GDAL handles are not thread-safe): an
    object whose ``read(window)`` gives ``(pixels or None, valid)``."""

    _END = object()

    def __init__(self, make_source, windows, shape, depth):
        super().__init__(daemon=True, name="predict-reader")
        self.make_source = make_source
        self.windows = windows
        self.shape = shape
        self.queue = queue.Queue(maxsize=max(2, depth))
        self.stop = threading.Event()

    def _put(self, item):
        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run(self):
        try:
            source = self.make_source()
            for tag, window in self.windows:
                if self.stop.is_set():
                    return
                x, valid = source.read(window)
                if x is not None:
                    x = pad(x, *self.shape)
                if not self._put((tag, window, x, valid)):
                    return
            self._put(self._END)
        except BaseException as exc:  # handed to the main thread
            self._put(exc)

    def items(self):
        while True:
            item = self.queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self):
        self.stop.set()
        self.join(timeout=10)


def start_reader(plan, make_source):
    """A started :class:`Reader` over the plan's windows, strip by strip (tag:
    the strip index), two batches of every test-time augmentation copy deep."""
    reader = Reader(make_source, list(plan.strip_windows()), plan.input_shape,
                    2 * plan.batch * plan.transforms)
    reader.start()
    return reader


@dataclasses.dataclass
class _Blend:
    """Where :func:`predict_windows` stands."""

    done: int = 0  # windows handled (read), for progress
    row: int = 0  # the current row of windows, band rows
    predicted: int = 0  # windows through the network
    empty: int = 0  # windows without a valid pixel
    first: Optional[Tuple[float, int]] = None  # (time, done) after the first forward pass
    strip: int = -1  # index of the strip in the band
    band: Optional[blending.RowBand] = None  # the current strip's row band
    left: int = 0  # the band's first hull column


def predict_windows(plan, run, reader, writer, n_classes, progress):
    """Blend the reader's windows into the writer, strip by strip (one strip
    unless the scene is very wide: window_plan.make_strips); returns
    ``(predicted, empty)`` window counts."""
    hull = plan.hull
    win_h, win_w = plan.window_shape
    weights = blending.weight_window(win_h, win_w, plan.overlap)
    started = time.perf_counter()
    pending, arrays = [], []
    state = _Blend()

    def flush(row):
        band, k, left = state.band, state.strip, state.left
        if band is not None:
            owned = (plan.strips[k][0] - hull.x, plan.strips[k][1] - hull.x)
            band.flush(row, lambda top, s, w, i: writer.write(top, s, w, i, left, owned))

    def start_strip(k):
        flush(hull.height)
        left, width = plan.strip_band(k)
        state.strip, state.row, state.left = k, 0, left
        state.band = blending.RowBand(win_h, width, n_classes)

    def drain():
        if arrays:
            probs = predictors.predict_tta(run, np.stack(arrays), plan.tta, plan.batch)
        k = 0
        for strip, window, x_in, valid in pending:
            if strip != state.strip:
                start_strip(strip)
            band = state.band
            x, y = window.x - hull.x - state.left, window.y - hull.y
            if y != state.row:
                flush(y)
                state.row = y
            if x_in is None:
                band.mark_invalid(x, y, valid)
                state.empty += 1
            else:
                band.add(x, y, probs[k], weights, valid)
                k += 1
        state.predicted += k
        state.done += len(pending)
        pending.clear()
        arrays.clear()
        if state.first is None and k:
            state.first = (time.perf_counter(), state.done)
        progress(state.done / plan.n_reads)

    try:
        for strip, window, x_in, valid in reader.items():
            pending.append((strip, window, x_in, valid))
            if x_in is not None:
                arrays.append(x_in)
            if len(arrays) == plan.batch or len(pending) >= 4 * plan.batch:
                drain()
        drain()
        flush(hull.height)
    finally:
        reader.close()
    if state.first is not None:
        _log_speed(plan, started, state.first, progress)
    return state.predicted, state.empty


def _log_speed(plan, started, first, progress):
    """The first batch's time (tracing included) and the other windows' rate."""
    end = time.perf_counter()
    t_first, n_first = first
    rest = plan.n_reads - n_first
    win_h, win_w = plan.window_shape
    rate = rest * win_h * win_w / max(end - t_first, 1e-9) / 1e6
    progress.info("First batch (with tracing) {t_first:.2f} s; the other {rest} "
                  "window(s) {end:.2f} s ({rate:.2f} Mpixel/s of windows).",
                  t_first=t_first - started, rest=rest, end=end - t_first, rate=rate)
