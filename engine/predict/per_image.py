"""Per-image mode (``mode="per_image"``, the seed's mode for small photos).

The whole image is resampled by GDAL to ``tile x tile``, predicted once (its
test-time augmentation copies in batches of ``batch_size``), and the
probabilities resampled back bilinearly, row strip by row strip, into the
writer (:class:`.output_rasters.Writer`). The resampled pixels are
standardised as stride mode's (``raster.standardise``: nodata reads as 0).
Scenes larger than :data:`.window_plan.PER_IMAGE_LIMIT` pixels a side are
refused by the plan.
"""

import numpy as np
from osgeo import gdal

from ..data import raster
from ..errors import InputError
from . import predictors


def _bilinear_axis(start, stop, n_src, n_dst):
    """Source indices and weights sampling ``n_src`` pixels at destination
    pixels ``start..stop`` of ``n_dst`` (half-pixel centres, edges clamped)."""
    s = (np.arange(start, stop) + 0.5) * (n_src / n_dst) - 0.5
    s = np.clip(s, 0, n_src - 1)
    i0 = np.floor(s).astype(int)
    i1 = np.minimum(i0 + 1, n_src - 1)
    return i0, i1, (s - i0).astype(np.float32)


def upsample_rows(probs, r0, r1, height, width):
    """Rows ``r0..r1`` of ``probs`` (t, t, classes) resized bilinearly to
    (height, width), as tf.image.resize would, without the whole result."""
    y0, y1, fy = _bilinear_axis(r0, r1, probs.shape[0], height)
    x0, x1, fx = _bilinear_axis(0, width, probs.shape[1], width)
    rows = probs[y0] * (1 - fy)[:, None, None] + probs[y1] * fy[:, None, None]
    return rows[:, x0] * (1 - fx)[None, :, None] + rows[:, x1] * fx[None, :, None]


def predict_image(plan, run, make_source, writer, progress):
    """Predict the plan's grid as one resampled image into ``writer``;
    returns ``(predicted, empty)`` window counts, ``(1, 0)``."""
    tile = plan.window
    grid = plan.grid
    src = make_source()
    data = raster.gdal_call(src.ds.ReadAsArray, grid.x, grid.y, grid.width, grid.height,
                            buf_xsize=tile, buf_ysize=tile, band_list=src.bands,
                            resample_alg=gdal.GRIORA_Bilinear)
    if data is None:
        raise InputError("GDAL could not read {input}: {gdal_error}.",
                         input=src.ds.GetDescription(),
                         gdal_error=raster.last_error("read error"))
    if data.ndim == 2:
        data = data[None]
    # Nodata as stride mode and training see it (0, the training mean); GDAL's
    # resampled read keeps nodata pixels nodata rather than blending them.
    x, _ = raster.standardise(np.moveaxis(data, 0, -1), src.mean, src.std, src.nodata)
    progress.info("Per-image mode: {width} x {height} pixels resampled to {tile} x "
                  "{tile}.",
                  width=grid.width, height=grid.height, tile=tile)
    probs = predictors.predict_tta(run, x[None], plan.tta, plan.batch)[0]
    progress(0.3)
    strip = max(1, (1 << 22) // max(grid.width * probs.shape[-1], 1))
    for r0 in range(0, grid.height, strip):
        r1 = min(grid.height, r0 + strip)
        window = raster.Window(grid.x, grid.y + r0, grid.width, r1 - r0)
        _, valid = src.read(window)
        sums = upsample_rows(probs, r0, r1, grid.height, grid.width)
        writer.write(r0, sums, np.ones(valid.shape, np.float32), ~valid)
        progress(0.3 + 0.7 * r1 / grid.height)
    return 1, 0
