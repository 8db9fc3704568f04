"""Confusion matrices and segmentation scores (the Evaluate algorithm).

Conventions (those of scikit-learn): rows of a confusion matrix are the
reference (truth), columns the prediction; ``cm[i, j]`` counts pixels of
reference class ``i`` predicted as ``j``.

Skipped pixels: reference pixels equal to ``ignore_value`` or to the
reference's nodata, and prediction pixels equal to the prediction's nodata.
The prediction is aligned to the reference grid (nearest neighbour) and
compared on the overlap only: reference pixels it does not cover read as its
nodata. A prediction with no nodata value uses ``ignore_value`` as its fill,
so prediction pixels equal to ``ignore_value`` are skipped too.
"""

import math
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from . import progress as progress_mod
from . import options, raster
from .errors import InputError

BLOCK_PIXELS = 1 << 19  # pixels per window read (measured: 2^18..2^20 alike, 2^22 slower)
RASTER_EXTENSIONS = (".tif", ".tiff", ".png", ".jpg", ".jpeg", ".img", ".vrt")


# ---------------------------------------------------------------- confusion matrix
def confusion_matrix(prediction, reference, ignore_value=255, progress=None, n=256):
    """The ``n`` x ``n`` int64 confusion matrix of two class rasters (paths).

    Streams by blocks of the reference. Values outside ``0..n-1`` (other than
    skipped ones) raise InputError naming the file and the value.
    """
    progress = progress_mod.ensure(progress)
    n = int(n)
    ref_ds = raster.open_raster(reference, role="reference")
    pred_src = raster.open_raster(prediction, role="prediction")
    fill = pred_src.GetRasterBand(1).GetNoDataValue()
    if fill is None:
        fill = ignore_value if ignore_value is not None else n  # n: never a class
    pred_ds = raster.warp_to_grid(pred_src, ref_ds, role="prediction", nodata=fill)
    ref_band, pred_band = ref_ds.GetRasterBand(1), pred_ds.GetRasterBand(1)
    skip_ref = [v for v in (ignore_value, ref_band.GetNoDataValue()) if v is not None]
    skip_pred = [v for v in (pred_band.GetNoDataValue(), fill) if v is not None]
    # Fast path: two Byte rasters, n = 256 -> every value is a valid bin, and
    # skipped values are whole rows / columns, zeroed at the end (no masks).
    fast = (n == 256 and ref_band.DataType == raster.gdal.GDT_Byte
            and pred_band.DataType == raster.gdal.GDT_Byte)
    counts = np.zeros(n * n, np.int64)
    windows = raster.block_windows(ref_ds, target_pixels=BLOCK_PIXELS)
    if fast:
        read = _fused_reader(ref_band, pred_band)
    else:
        def read(w):
            return raster.read_band_window(ref_band, w), raster.read_band_window(pred_band, w)
    for i, block in enumerate(_prefetched(read, windows)):
        if fast:  # block: uint16 keys ref * 256 + pred
            counts += np.bincount(block.ravel(), minlength=65536)
        else:
            counts += _block_counts(*block, skip_ref, skip_pred, n, reference, prediction)
        progress((i + 1) / len(windows))
    cm = counts.reshape(n, n)
    if fast:
        for v in skip_ref:
            if _is_bin(v, n):
                cm[int(v), :] = 0
        for v in skip_pred:
            if _is_bin(v, n):
                cm[:, int(v)] = 0
    return cm


def _fused_reader(ref_band, pred_band):
    """Read a window of two Byte bands straight into one uint16 array holding
    ``ref * 256 + pred`` (GDAL writes each band into alternate bytes)."""
    hi, lo = (1, 0) if sys.byteorder == "little" else (0, 1)

    def read(w):
        buf = np.empty((w.height, w.width, 2), np.uint8)
        for band, byte in ((ref_band, hi), (pred_band, lo)):
            if raster.gdal_call(band.ReadAsArray, w.x, w.y, w.width, w.height,
                                buf_obj=buf[:, :, byte]) is None:
                raise InputError("GDAL could not read a block of {source}: {gdal_error}.",
                                 source=band.GetDataset().GetDescription(),
                                 gdal_error=raster.last_error("read error"))
        return buf.view(np.uint16)[..., 0]

    return read


def _prefetched(read, windows):
    """``read(w)`` for each window, the next one read in a thread (GDAL
    releases the GIL) while the caller counts the current one."""
    if len(windows) < 2:
        for w in windows:
            yield read(w)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(read, windows[0])
        for w in windows[1:]:
            block = pending.result()
            pending = pool.submit(read, w)
            yield block
        yield pending.result()


def _is_bin(v, n):
    return v is not None and float(v).is_integer() and 0 <= v < n


def _block_counts(ref, pred, skip_ref, skip_pred, n, ref_path, pred_path):
    valid = np.ones(ref.shape, bool)
    for arr, skips in ((ref, skip_ref), (pred, skip_pred)):
        for v in skips:
            valid &= arr != v
        if arr.dtype.kind == "f":
            valid &= np.isfinite(arr)
    if not valid.all():
        ref, pred = ref[valid], pred[valid]
    ref, pred = ref.ravel(), pred.ravel()
    for arr, path in ((ref, ref_path), (pred, pred_path)):
        if arr.size and (arr.min() < 0 or arr.max() >= n):
            bad = arr[(arr < 0) | (arr >= n)][0]
            raise InputError("The class raster {path} holds the value {bad:g}, outside "
                             "the class range 0..{n}.",
                             path=path, bad=bad, n=n - 1)
    key = ref.astype(np.int64) * n + pred.astype(np.int64)
    return np.bincount(key, minlength=n * n)


# ---------------------------------------------------------------- scores
def scores(cm, ignore_background=False, class_names=None):
    """Scores of a confusion matrix (rows = reference, columns = prediction).

    Classes: those present in the reference or the prediction. With
    ``ignore_background``, row 0 and column 0 are removed first: pixels of
    reference class 0 and pixels predicted as 0 do not count at all (the
    seed's ``ignore_0``). Per-class lists (aligned with ``classes``):
    precision, recall, F1, IoU (0 where undefined, as scikit-learn's
    ``zero_division=0``), reference and predicted pixels. Summary: overall
    accuracy, Cohen's kappa (NaN when chance agreement is 1), mean IoU and
    mean F1 over the classes present in the *reference* (a class only
    predicted lowers precision elsewhere but is not averaged in),
    frequency-weighted IoU (weights: reference pixel shares), pixel count.
    ``class_names``: optional dict value -> name (default "class N").
    """
    cm = np.asarray(cm, np.int64)
    values = np.arange(cm.shape[0])
    if ignore_background:
        cm, values = cm[1:, 1:], values[1:]
    ref_px, pred_px = cm.sum(axis=1), cm.sum(axis=0)
    present = (ref_px + pred_px) > 0
    sub = cm[np.ix_(present, present)].astype(np.float64)
    values, ref_px, pred_px = values[present], ref_px[present], pred_px[present]
    tp = np.diag(sub)
    total = sub.sum()
    names = [(class_names or {}).get(int(v), f"class {int(v)}") for v in values]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = _div(tp, pred_px)
        recall = _div(tp, ref_px)
        f1 = _div(2 * tp, ref_px + pred_px)
        iou = _div(tp, ref_px + pred_px - tp)
    in_ref = ref_px > 0
    if total > 0:
        oa = float(tp.sum() / total)
        pe = float((ref_px.astype(np.float64) * pred_px).sum() / total ** 2)
        kappa = (oa - pe) / (1 - pe) if pe < 1 else math.nan
        freq = ref_px / total
        fwiou = float((freq * iou).sum())
    else:
        oa = kappa = fwiou = math.nan
    return {
        "classes": [int(v) for v in values],
        "names": names,
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "f1": f1.tolist(),
        "iou": iou.tolist(),
        "reference_pixels": [int(x) for x in ref_px],
        "predicted_pixels": [int(x) for x in pred_px],
        "overall_accuracy": oa,
        "kappa": float(kappa),
        "mean_iou": float(iou[in_ref].mean()) if in_ref.any() else math.nan,
        "mean_f1": float(f1[in_ref].mean()) if in_ref.any() else math.nan,
        "frequency_weighted_iou": fwiou,
        "pixels": int(total),
    }


def _div(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)


SUMMARY_KEYS = ("overall_accuracy", "kappa", "mean_iou", "mean_f1", "frequency_weighted_iou")
PER_CLASS_KEYS = ("precision", "recall", "f1", "iou")


# ---------------------------------------------------------------- evaluate
@dataclass
class EvaluationResult:
    """Evaluate's result. ``cm``: the summed confusion matrix restricted to
    ``classes`` (rows reference, columns prediction); ``scores``: the dict of
    :func:`scores` (in per-image mode, the means over images); ``per_image``:
    ``[(name, scores)]``; ``warnings``: unmatched files and the like."""

    cm: np.ndarray
    classes: list
    scores: dict
    per_image: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    mode: str = "global"
    ignore_background: bool = False
    class_names: dict = field(default_factory=dict)

    @property
    def names(self):
        return [self.class_names.get(v, f"class {v}") for v in self.classes]


def evaluate(prediction, reference, mode="global", ignore_background=False, ignore_value=255,
             progress=None, class_names=None):
    """Compare predicted class rasters with reference ones.

    ``prediction`` and ``reference``: two raster paths, or two folders whose
    rasters (.tif, .tiff, .png, .jpg, .jpeg, .img, .vrt) are paired by file
    stem. ``mode``: ``"global"`` scores one confusion matrix summed over all
    pairs; ``"per_image"`` scores each pair and reports the mean of each
    metric over images (per-class figures: mean over the images where the
    class is present), with the per-image scores in ``per_image``.
    ``class_names``: dict value -> name; by default the reference's category
    names where it has them, else "class N".
    """
    options.check("evaluate_mode", mode, "MODE")
    progress = progress_mod.ensure(progress)
    pairs, warnings = _pairs(os.fspath(prediction), os.fspath(reference))
    if class_names is None:
        class_names = _category_names(pairs[0][2])
    class_names = {int(k): str(v) for k, v in (class_names or {}).items()}
    total = None
    per_image = []
    for i, (name, pred, ref) in enumerate(pairs):
        cm = confusion_matrix(pred, ref, ignore_value=ignore_value,
                              progress=progress.sub(i / len(pairs), (i + 1) / len(pairs)))
        total = cm if total is None else total + cm
        if mode == "per_image":
            per_image.append((name, scores(cm, ignore_background, class_names)))
    summary = scores(total, ignore_background, class_names)
    if mode == "per_image":
        summary = _mean_scores([s for _, s in per_image], summary)
    classes = summary["classes"]
    return EvaluationResult(cm=total[np.ix_(classes, classes)], classes=classes, scores=summary,
                            per_image=per_image, warnings=warnings, mode=mode,
                            ignore_background=ignore_background, class_names=class_names)


def _mean_scores(image_scores, pooled):
    """Means over images of each metric; per-class means over images where present."""
    out = dict(pooled)
    for key in SUMMARY_KEYS:
        vals = [s[key] for s in image_scores if not math.isnan(s[key])]
        out[key] = float(np.mean(vals)) if vals else math.nan
    for key in PER_CLASS_KEYS:
        means = []
        for v in pooled["classes"]:
            vals = [s[key][s["classes"].index(v)] for s in image_scores if v in s["classes"]]
            means.append(float(np.mean(vals)) if vals else math.nan)
        out[key] = means
    out["images"] = len(image_scores)
    return out


def _category_names(path):
    ds = raster.open_raster(path, role="reference")
    cats = raster.category_names(ds.GetRasterBand(1))
    return {i: c for i, c in enumerate(cats) if c}


def _rasters_in(folder, role):
    """{stem: path} of the rasters in ``folder`` (the ``role`` folder, named in errors)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise InputError("Cannot read the {role} folder {folder}: {error}.",
                         role=role, folder=folder, error=exc.strerror or exc) from None
    found = {}
    for f in names:
        stem, ext = os.path.splitext(f)
        if ext.lower() in RASTER_EXTENSIONS and not f.startswith("."):
            found.setdefault(stem, os.path.join(folder, f))
    if not found:
        raise InputError("The {role} folder {folder} holds no rasters ({extensions}).",
                         role=role, folder=folder, extensions=" ".join(RASTER_EXTENSIONS))
    return found


def _pairs(prediction, reference):
    """[(name, prediction path, reference path)] and warnings."""
    pred_dir, ref_dir = os.path.isdir(prediction), os.path.isdir(reference)
    if pred_dir != ref_dir:
        if pred_dir:
            raise InputError("Give two rasters or two folders: {prediction} is a folder, "
                             "{reference} is a file.",
                             prediction=prediction, reference=reference)
        raise InputError("Give two rasters or two folders: {prediction} is a file, "
                         "{reference} is a folder.",
                         prediction=prediction, reference=reference)
    if not pred_dir:
        name = os.path.splitext(os.path.basename(reference))[0]
        return [(name, prediction, reference)], []
    preds, refs = _rasters_in(prediction, "prediction"), _rasters_in(reference, "reference")
    common = sorted(set(preds) & set(refs))
    if not common:
        raise InputError("No raster in the prediction folder {prediction} has the same "
                         "name as one in the reference folder {reference}.",
                         prediction=prediction, reference=reference)
    warnings = []
    for stem in sorted(set(preds) - set(refs)):
        warnings.append(f"Prediction {preds[stem]} has no reference with the same name; skipped.")
    for stem in sorted(set(refs) - set(preds)):
        warnings.append(f"Reference {refs[stem]} has no prediction with the same name; skipped.")
    return [(stem, preds[stem], refs[stem]) for stem in common], warnings
