"""Blending overlapping window predictions into a scene, one row band at a time.

Windows overlap so that every pixel is predicted at least once far from a
window edge, where the network saw real neighbours instead of padding. Each
window's class probabilities are weighted by :func:`weight_window` (1 inside,
falling off over the overlap towards the window edge to a floor above zero,
so pixels at the scene border, seen only near a window edge, still count) and
summed in a :class:`RowBand`: a buffer one window high and one scene wide.
Windows arrive row by row; once the next row of windows starts at scene row
``y``, every row above ``y`` is final and is handed to the writer. Memory is
``window height x scene width x classes`` float32, never the scene.

NumPy only: no TensorFlow, no GDAL.
"""

import numpy as np

# Weight of a pixel on a window edge relative to one in the window's interior.
EDGE_FLOOR = 1e-3


def taper(length, ramp, floor=EDGE_FLOOR):
    """1-D weights of ``length`` pixels: 1 in the middle, falling to ``floor``
    over the ``ramp`` pixels next to each end as ``sin^4`` (a squared Hann
    ramp: predictions from near a window edge, where the network saw padding,
    count little wherever another window saw the pixel from further inside;
    this agreed better with whole-image passes than a plain Hann ramp)."""
    weights = np.ones(int(length), np.float32)
    if ramp <= 0 or length <= 0:
        return weights
    index = np.arange(int(length))
    distance = np.minimum(index, index[::-1]) + 0.5  # to the nearest edge
    ratio = np.clip(distance / float(ramp), 0.0, 1.0)
    weights[:] = floor + (1.0 - floor) * np.sin(0.5 * np.pi * ratio) ** 4
    return weights


def weight_window(height, width, ramp, floor=EDGE_FLOOR):
    """2-D blending weights (height, width): the outer product of two tapers."""
    return np.outer(taper(height, ramp, floor), taper(width, ramp, floor))


class RowBand:
    """Weighted probability sums for the scene rows still open.

    ``top`` is the scene row held in buffer row 0. :meth:`add` sums a
    window's probabilities; :meth:`flush` hands the rows above a scene row to
    ``write(top, sums, weights, invalid)`` (views, valid during the call) and
    slides the buffer down.
    """

    def __init__(self, height, width, classes):
        self.height = int(height)
        self.width = int(width)
        self.top = 0
        self.sums = np.zeros((self.height, self.width, int(classes)), np.float32)
        self.weights = np.zeros((self.height, self.width), np.float32)
        self.invalid = np.zeros((self.height, self.width), bool)

    def add(self, x, y, probabilities, weights, valid=None):
        """Add one window's ``probabilities`` (h, w, classes) at scene (x, y)."""
        h, w = weights.shape
        r = y - self.top
        if r < 0 or r + h > self.height:
            raise ValueError(f"Window rows {y}..{y + h} are outside the open rows "
                             f"{self.top}..{self.top + self.height}.")
        self.sums[r:r + h, x:x + w] += probabilities[:h, :w] * weights[..., None]
        self.weights[r:r + h, x:x + w] += weights
        if valid is not None:
            self.invalid[r:r + h, x:x + w] |= ~valid

    def mark_invalid(self, x, y, valid):
        """Record pixels of a window that was not predicted (all invalid)."""
        h, w = valid.shape
        r = y - self.top
        self.invalid[r:r + h, x:x + w] |= ~valid

    def flush(self, row, write):
        """Rows ``top..row`` (exclusive) are final: write them, slide the buffer."""
        n = min(int(row), self.top + self.height) - self.top
        if n <= 0:
            return
        write(self.top, self.sums[:n], self.weights[:n], self.invalid[:n])
        keep = self.height - n
        if keep > 0:
            self.sums[:keep] = self.sums[n:]
            self.weights[:keep] = self.weights[n:]
            self.invalid[:keep] = self.invalid[n:]
        self.sums[keep:] = 0.0
        self.weights[keep:] = 0.0
        self.invalid[keep:] = False
        self.top += n
