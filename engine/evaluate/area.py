"""Map accuracy and class areas estimated from a reference sample, with 95 % CIs.

The stratified estimators of Olofsson et al. (2014), "Good practices for
estimating area and assessing accuracy of land change", Remote Sensing of
Environment 148: 42-57, Section 4 (equations 1-11). The strata are the map
classes; ``W_i``, the mapped proportion of class ``i``, comes from the whole
map's pixel counts; the sample gives ``n_ij``, the sample units mapped as
``i`` whose reference class is ``j``.

- estimated area proportions ``p_ij = W_i n_ij / n_i.`` (eq. 4);
- overall accuracy ``O = sum_j p_jj``, user's accuracy ``U_i = p_ii / p_i.``,
  producer's accuracy ``P_j = p_jj / p_.j`` (eqs. 1-3), their variances
  (eqs. 5-7);
- the proportion of reference class ``k``, ``p_.k = sum_i W_i n_ik / n_i.``
  (eq. 9), its standard error (eq. 10), and its area ``A_tot p_.k`` (eq. 11).

A 95 % confidence interval is ``estimate +- 1.96 SE``; the ``*_ci95`` figures
are those half-widths. Figures that need a stratum of fewer than two sample
units (variance undefined) are NaN. Numpy only (runs in QGIS's process).

Polygon samples (:func:`cluster_estimates`): the sampling unit is the
polygon, not its pixels, whose labels are not independent draws (a polygon
of 1,000 pixels is one decision of the interpreter, not 1,000). Within map
class ``i`` the share of reference class ``j`` is the ratio estimator
``R_ij = sum_u c_uij / sum_u m_ui`` over the polygons ``u`` with pixels
mapped as ``i`` (``m_ui`` of them, ``c_uij`` of reference class ``j``), and
its variance is the cluster-sampling one (Cochran 1977, "Sampling
Techniques", eq. 6.13; Stehman 2014 for its use in accuracy assessment):
``V(R_ij) = sum_u (c_uij - R_ij m_ui)^2 / (n_i (n_i - 1) mbar_i^2)``, ``n_i``
the polygons in the stratum, ``mbar_i`` their mean pixel count there. These
replace ``n_ij / n_i.`` and ``n_ij / n_i. (1 - n_ij / n_i.) / (n_i. - 1)`` in
equations 1-10; with every polygon one pixel they are exactly those.
"""

import math

import numpy as np

from .. import progress as progress_mod
from ..data import raster
from ..errors import InputError

Z95 = 1.959963984540054  # the normal quantile the paper rounds to 1.96


def stratified_estimates(counts, mapped_pixels, pixel_area=1.0, classes=None, z=Z95):
    """Olofsson et al. (2014) estimates from sample counts and mapped pixel counts.

    ``counts``: (q, q) sample counts, rows the map class (stratum), columns the
    reference class, in the order of ``classes`` (default 0..q-1).
    ``mapped_pixels``: the map's pixel count of each class (same order);
    ``pixel_area``: the area of a pixel (map units squared), so areas are
    ``pixel count x pixel_area``. Returns a dict: ``classes``; per class
    (lists) ``mapped_area``, ``adjusted_area`` and ``adjusted_area_ci95``,
    ``users_accuracy`` and ``producers_accuracy`` with their ``*_ci95``,
    ``samples`` (n_i.); ``proportions`` (the (q, q) matrix of p_ij);
    ``overall_accuracy`` and ``overall_accuracy_ci95``; ``total_area``;
    ``unsampled`` (classes mapped but without a sample unit: their area goes
    unestimated and every estimate is biased).
    """
    n = np.asarray(counts, np.float64)
    q = n.shape[0]
    if n.ndim != 2 or n.shape != (q, q):
        raise InputError("The sample counts must form a square matrix, not {shape}.",
                         shape=n.shape)
    n_i = n.sum(axis=1)                         # n_i.
    sampled = n_i > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sampled[:, None], n / np.where(sampled, n_i, 1)[:, None], 0.0)
        # n_ij / n_i. (1 - n_ij / n_i.) / (n_i. - 1): NaN below two units
        dof = np.where(n_i > 1, n_i - 1, np.nan)
        within = share * (1 - share) / dof[:, None]
    return _estimates(share, within, n_i, mapped_pixels, pixel_area, classes, z)


def cluster_estimates(units, mapped_pixels, pixel_area=1.0, classes=None, z=Z95):
    """:func:`stratified_estimates` for a sample of polygons, each polygon one
    sampling unit (a cluster of pixels; see the module's docstring).

    ``units``: the polygons' pixel counts, either a (U, q, q) array (unit,
    map class, reference class) or an (k, 4) array of rows ``(unit, map
    class index, reference class index, pixels)``; class indices follow
    ``mapped_pixels`` and ``classes``. ``samples`` in the result counts the
    polygons with pixels mapped as each class.
    """
    q = np.asarray(mapped_pixels).shape[0]
    rows = np.asarray(units, np.int64)
    if rows.ndim == 3:
        u, i, j = np.nonzero(rows)
        rows = np.stack([u, i, j, rows[u, i, j]], axis=1)
    rows = rows.reshape(-1, 4)
    if rows.size and (rows[:, 1:3].min() < 0 or rows[:, 1:3].max() >= q):
        raise InputError("A polygon's class index falls outside the {q} classes.", q=q)
    u, i, j, c = (rows[:, k] for k in range(4))
    c = c.astype(np.float64)
    cells = np.zeros((q, q))                    # sum_u c_uij
    np.add.at(cells, (i, j), c)
    squares = np.zeros((q, q))                  # sum_u c_uij^2
    np.add.at(squares, (i, j), c * c)
    # m_ui: each polygon's pixels in each stratum
    pair, where = np.unique(u * q + i, return_inverse=True)
    m_ui = np.bincount(where, weights=c, minlength=pair.size)
    stratum = pair % q
    n_i = np.bincount(stratum, minlength=q).astype(np.float64)
    m_i = np.bincount(stratum, weights=m_ui, minlength=q)
    m_sq = np.bincount(stratum, weights=m_ui ** 2, minlength=q)
    cross = np.zeros((q, q))                    # sum_u c_uij m_ui
    np.add.at(cross, (i, j), c * m_ui[where])
    sampled = n_i > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sampled[:, None], cells / np.where(sampled, m_i, 1)[:, None], 0.0)
        # sum_u (c_uij - R_ij m_ui)^2, expanded; rounding may leave it just below 0
        spread = np.maximum(squares - 2 * share * cross + share ** 2 * m_sq[:, None], 0.0)
        mean_m = m_i / np.where(sampled, n_i, 1)
        scale = np.where(n_i > 1, n_i * (n_i - 1) * mean_m ** 2, np.nan)
        within = spread / scale[:, None]
    return _estimates(share, within, n_i, mapped_pixels, pixel_area, classes, z)


def _estimates(share, within, n_i, mapped_pixels, pixel_area, classes, z):
    """Equations 1-11 from the shares ``share[i, j]`` of reference class ``j``
    in map class ``i``, their variances ``within`` and the units per stratum."""
    q = share.shape[0]
    mapped = np.asarray(mapped_pixels, np.float64)
    if mapped.shape != (q,):
        raise InputError("{count} mapped pixel counts were given for {q} classes.",
                         count=mapped.size, q=q)
    classes = list(range(q)) if classes is None else [int(c) for c in classes]
    total_px = mapped.sum()
    if total_px <= 0:
        raise InputError("The map has no classified pixel: nothing to estimate.")
    w = mapped / total_px                       # W_i
    sampled = n_i > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        p = w[:, None] * share                  # p_ij, eq. 4
        p_col = p.sum(axis=0)                   # p_.j, eq. 9
        diag = np.diag(p)
        users = np.where(sampled, np.diag(share), np.nan)             # eq. 2
        producers = np.where(p_col > 0, diag / np.where(p_col > 0, p_col, 1), np.nan)  # eq. 3
        overall = float(diag.sum())                                   # eq. 1
        var_users = np.diag(within).copy()                             # eq. 6
        var_overall = float(np.sum(w ** 2 * np.where(sampled, var_users, 0.0)))  # eq. 5
        # eq. 7, with N_i. the mapped pixels and N_.j = sum_i N_i. n_ij / n_i.
        n_col = (mapped[:, None] * share).sum(axis=0)
        var_producers = np.full(q, np.nan)
        for j in range(q):
            if not sampled[j] or n_col[j] <= 0:
                continue
            others = [i for i in range(q) if i != j and sampled[i]]
            term1 = mapped[j] ** 2 * (1 - producers[j]) ** 2 * within[j, j]
            term2 = producers[j] ** 2 * sum(mapped[i] ** 2 * within[i, j] for i in others)
            var_producers[j] = (term1 + term2) / n_col[j] ** 2
        # eq. 10: SE of p_.k
        se_col = np.sqrt(np.sum(w[:, None] ** 2 * np.where(sampled[:, None], within, 0.0),
                                axis=0))
    total_area = float(total_px * pixel_area)
    return {
        "classes": classes,
        "samples": [int(x) for x in n_i],
        "mapped_area": [float(x) for x in mapped * pixel_area],
        "adjusted_area": [float(x) for x in p_col * total_area],                 # eq. 11
        "adjusted_area_ci95": [float(x) for x in z * se_col * total_area],
        "users_accuracy": [float(x) for x in users],
        "users_accuracy_ci95": [float(x) for x in z * np.sqrt(var_users)],
        "producers_accuracy": [float(x) for x in producers],
        "producers_accuracy_ci95": [float(x) for x in z * np.sqrt(var_producers)],
        "proportions": p.tolist(),
        "overall_accuracy": overall,
        "overall_accuracy_ci95": float(z * math.sqrt(var_overall))
        if math.isfinite(var_overall) else math.nan,
        "total_area": total_area,
        "pixel_area": float(pixel_area),
        "unsampled": [c for c, m, s in zip(classes, mapped, sampled) if m > 0 and not s],
    }


def mapped_pixels(path, n=256, progress=None, background=False):
    """Pixel count of each class value 0..n-1 in the class raster ``path``
    (streamed by blocks; nodata and non-finite pixels left out, except 0 with
    ``background``: then 0 is mapped background even if it is the nodata)."""
    progress = progress_mod.ensure(progress)
    ds = raster.open_raster(path, role="prediction")
    raster.check_class_raster(ds, path, role="prediction")
    band = ds.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    if background and nodata == 0:
        nodata = None
    counts = np.zeros(n, np.int64)
    windows = raster.block_windows(ds, target_pixels=1 << 19)
    for i, w in enumerate(windows):
        data = raster.read_band_window(band, w).ravel()
        if nodata is not None:
            data = data[data != nodata]
        if data.dtype.kind == "f":
            data = data[np.isfinite(data)]
        raster.check_class_values(data, path, n)
        counts += np.bincount(data.astype(np.int64), minlength=n)
        progress((i + 1) / len(windows))
    return counts


def pixel_area(path):
    """The area of one pixel of ``path`` in its map units squared."""
    gt = raster.open_raster(path, role="prediction").GetGeoTransform()
    return abs(gt[1] * gt[5] - gt[2] * gt[4])
