"""Does a scene look like the model's training data? Cheap checks before predicting.

A model sees pixels standardised with its training mean and std; a scene of
another kind (8-bit RGB tiles against a model trained on 16-bit
reflectance, bands in another order, another ground resolution) still
predicts, but badly and silently. These checks compare what the model file
records (engine/formats/modelfile.py: data type, bands, per-band mean/std, the
ground resolution of the chips) with the input and return warnings:

- :func:`resolution_warning`: the resolution the scene is read at against
  the training resolution (more than :data:`RESOLUTION_TOLERANCE` apart).
- :func:`input_warnings`: data type, band count, and per-band values from a
  sample of :data:`SAMPLE_WINDOWS` small windows spread over the scene: a band
  is flagged when more than :data:`OUTSIDE_SHARE` of its sampled valid pixels
  lie outside the training mean +- :data:`K_STD` std (about 0.3% would for
  data like the training data).

Warnings are :class:`~.progress.Message` objects of level "warning"; the
worker sends them as log lines of that level and QGIS shows them with
``feedback.pushWarning``. No TensorFlow, no QGIS.
"""

import numpy as np
from osgeo import gdal

from ..data import raster
from ..progress import Message

K_STD = 3.0
OUTSIDE_SHARE = 0.5
SAMPLE_WINDOWS = 9
SAMPLE_SIZE = 64
RESOLUTION_TOLERANCE = 0.25


def _warning(template, **values):
    return Message(template, values, level="warning")


def resolution_warning(resolution, units, meta, source):
    """A warning when ``resolution`` (map units per pixel, in ``units``) is more
    than 25% away from the resolution of the model's training chips; None
    when it is not, or when the model or the CRS units do not say."""
    trained = meta.get("resolution")
    if not trained or not resolution:
        return None
    trained_units = meta.get("crs_units") or ""
    train_res = float(trained[0])
    if units and trained_units and units != trained_units:
        return _warning("{source} is read at {resolution:g} {units} per pixel, but the model "
                        "was trained on chips of {trained:g} {trained_units} per pixel: the "
                        "units differ, so the scales cannot be compared; choose RESOLUTION "
                        "to match the training data.",
                        source=source, resolution=float(resolution), units=units,
                        trained=train_res, trained_units=trained_units)
    ratio = float(resolution) / train_res
    if abs(ratio - 1.0) <= RESOLUTION_TOLERANCE:
        return None
    return _warning("{source} is read at {resolution:g} map units per pixel, but the model "
                    "was trained at {trained:g} ({ratio:.2f} times the training pixel "
                    "size): objects appear at another scale than in training; set RESOLUTION "
                    "to {trained:g} unless that is intended.",
                    source=source, resolution=float(resolution), trained=train_res,
                    ratio=ratio)


def sample_windows(grid, count=SAMPLE_WINDOWS, size=SAMPLE_SIZE):
    """Up to ``count`` windows of ``size`` pixels spread evenly over ``grid`` (a
    Window of the raster), in raster coordinates."""
    windows = raster.grid_windows(grid.width, grid.height, size)
    if len(windows) > count:
        picks = np.linspace(0, len(windows) - 1, count).round().astype(int)
        windows = [windows[i] for i in sorted(set(picks.tolist()))]
    return [raster.Window(grid.x + w.x, grid.y + w.y, w.width, w.height) for w in windows]


def input_warnings(ds, bands, meta, source, grid=None):
    """Warnings (Messages) about the input ``ds`` read as ``bands`` (1-based)
    against the training data described by ``meta``; an empty list when it
    looks alike."""
    warnings = []
    trained = meta.get("data_type")
    dtype = gdal.GetDataTypeName(ds.GetRasterBand(bands[0]).DataType)
    if trained and str(trained).lower() != dtype.lower():
        warnings.append(_warning(
            "The model was trained on {trained} pixels, {input} has {dtype}; check that the "
            "bands match the training data.",
            trained=trained, input=source, dtype=dtype))
    n_model = meta.get("bands")
    if n_model and ds.RasterCount != int(n_model):
        warnings.append(_warning(
            "{input} has {count} band(s), the training data had {n_model}: the model reads "
            "bands {bands} of it; check that they are the training bands, in their order.",
            input=source, count=ds.RasterCount, n_model=n_model,
            bands=", ".join(str(b) for b in bands)))
    mean, std = meta.get("mean"), meta.get("std")
    if mean is None or std is None or len(mean) != len(bands) or len(std) != len(bands):
        return warnings
    drifted = _drifted_bands(ds, bands, np.asarray(mean, np.float64),
                             np.asarray(std, np.float64), grid)
    if drifted:
        names = list(meta.get("band_names") or [])
        details = []
        for i, low, high in drifted:
            name = f" ({names[i]})" if i < len(names) and names[i] else ""
            lo_t, hi_t = mean[i] - K_STD * std[i], mean[i] + K_STD * std[i]
            details.append(f"band {bands[i]}{name}: {low:g}..{high:g} vs {lo_t:g}..{hi_t:g}")
        warnings.append(_warning(
            "{input} looks unlike the training data in band(s) {bands}: most sampled values "
            "lie outside the training mean +- {k:g} std ({details}). Check the bands, their "
            "order and their scaling (e.g. 8-bit display colours against a model trained on "
            "reflectance).",
            input=source, bands=", ".join(str(bands[i]) for i, _, _ in drifted), k=K_STD,
            details="; ".join(details)))
    return warnings


def _drifted_bands(ds, bands, mean, std, grid):
    """``[(band index, sampled 1st percentile, 99th percentile)]`` of the bands
    whose sampled values mostly lie outside mean +- K_STD std."""
    grid = grid or raster.Window(0, 0, ds.RasterXSize, ds.RasterYSize)
    nodata = [ds.GetRasterBand(b).GetNoDataValue() for b in bands]
    std = np.where(std > 0, std, 1.0)
    values = []
    for window in sample_windows(grid):
        data = raster.read_window(ds, window, bands)
        _, valid = raster.standardise(data, mean, std, nodata)
        values.append(data[valid].astype(np.float64))
    sample = np.concatenate(values) if values else np.empty((0, len(bands)))
    if not len(sample):
        return []
    outside = np.abs(sample - mean) > K_STD * std
    share = outside.mean(axis=0)
    low, high = np.percentile(sample, 1, axis=0), np.percentile(sample, 99, axis=0)
    return [(i, float(low[i]), float(high[i])) for i in range(len(bands))
            if share[i] > OUTSIDE_SHARE]


def warn_input(ds, bands, meta, source, progress, grid=None):
    """Send :func:`input_warnings` to ``progress`` as warnings."""
    for message in input_warnings(ds, bands, meta, source, grid):
        progress.relay(message, level="warning")
