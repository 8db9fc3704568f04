"""Evaluate's reports: CSV, JSON and a self-contained HTML page.

Each writer takes a :class:`~.metrics.EvaluationResult` and a path, and writes
atomically (through :mod:`.outputs`): nothing appears at ``path`` unless the
report is complete.
"""

import csv
import html
import json
import math
import os

import numpy as np

from .. import outputs
from ..errors import InputError
from .metrics import PER_CLASS_KEYS, SUMMARY_KEYS

SUMMARY_LABELS = {
    "overall_accuracy": "Overall accuracy",
    "kappa": "Cohen's kappa",
    "mean_iou": "Mean IoU",
    "mean_f1": "Mean F1",
    "frequency_weighted_iou": "Frequency-weighted IoU",
}
CLASS_LABELS = {"precision": "Precision", "recall": "Recall", "f1": "F1", "iou": "IoU"}
BAR_COLORS = {"precision": "#4e79a7", "recall": "#f28e2b", "f1": "#59a14f", "iou": "#e15759"}


def _write_atomically(path, write):
    path = os.fspath(path)
    with outputs.writing(path) as partial:
        try:
            with open(partial, "w", encoding="utf-8", newline="") as f:
                write(f)
        except OSError as exc:
            raise InputError("Cannot write {path}: {error}.",
                             path=path, error=exc.strerror or exc) from None
    return path


def _num(x):
    """JSON-safe number: NaN -> None."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _fmt(x, digits=4):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:.{digits}f}"


AREA_KEYS = ("mapped_area", "adjusted_area", "adjusted_area_ci95", "users_accuracy",
             "users_accuracy_ci95", "producers_accuracy", "producers_accuracy_ci95")


def area_rows(result):
    """Per-class stratified estimates (dicts with ``value``, ``name`` and
    AREA_KEYS); empty without a sample reference. Class 0 is left out when
    background is ignored (its stratum still counts in the others)."""
    a = result.area
    if not a:
        return []
    rows = []
    for i, value in enumerate(a["classes"]):
        if result.ignore_background and value == 0:
            continue
        rows.append({"value": int(value), "name": a["names"][i],
                     **{k: a[k][i] for k in AREA_KEYS}})
    return rows


def _rows(result):
    s = result.scores
    for i, value in enumerate(s["classes"]):
        yield {
            "value": value,
            "name": s["names"][i],
            **{k: s[k][i] for k in PER_CLASS_KEYS},
            "reference_pixels": s["reference_pixels"][i],
            "predicted_pixels": s["predicted_pixels"][i],
        }


# ---------------------------------------------------------------- CSV
def write_csv(result, path):
    """One row per class (value, name, precision, recall, F1, IoU, reference
    and predicted pixels), then one ``summary`` row per summary figure; with a
    sample reference, the stratified overall accuracy and its CI as summary
    rows, then one ``area_estimate`` row per class (after a header row)."""
    def write(f):
        w = csv.writer(f)
        w.writerow(["value", "name", "precision", "recall", "f1", "iou",
                    "reference_pixels", "predicted_pixels"])
        for r in _rows(result):
            w.writerow([r["value"], r["name"]] + [_fmt(r[k], 6) for k in PER_CLASS_KEYS]
                       + [r["reference_pixels"], r["predicted_pixels"]])
        for key in SUMMARY_KEYS:
            w.writerow(["summary", key, _fmt(result.scores[key], 6), "", "", "", "", ""])
        w.writerow(["summary", "pixels", result.scores["pixels"], "", "", "", "", ""])
        w.writerow(["summary", "mode", result.mode, "", "", "", "", ""])
        if result.area:
            w.writerow(["summary", "overall_accuracy_estimate",
                        _fmt(result.area["overall_accuracy"], 6), "", "", "", "", ""])
            w.writerow(["summary", "overall_accuracy_ci95",
                        _fmt(result.area["overall_accuracy_ci95"], 6), "", "", "", "", ""])
            w.writerow(["area_estimate", "value", "name", *AREA_KEYS])
            for r in area_rows(result):
                w.writerow(["area_estimate", r["value"], r["name"]]
                           + [_fmt(r[k], 6) for k in AREA_KEYS])
    return _write_atomically(path, write)


# ---------------------------------------------------------------- JSON
def to_dict(result):
    """The result as plain JSON-ready data (NaN written as null)."""
    def clean(scores):
        out = {}
        for k, v in scores.items():
            if isinstance(v, list):
                out[k] = [_num(x) if isinstance(x, float) else x for x in v]
            elif isinstance(v, float):
                out[k] = _num(v)
            else:
                out[k] = v
        return out

    data = {
        "mode": result.mode,
        "ignore_background": bool(result.ignore_background),
        "classes": [int(c) for c in result.classes],
        "names": result.names,
        "confusion_matrix_columns": [int(c) for c in result.columns],
        "confusion_matrix": np.asarray(result.cm).astype(int).tolist(),
        "scores": clean(result.scores),
        "per_image": [{"name": n, "scores": clean(s)} for n, s in result.per_image],
        "warnings": [str(w) for w in result.warnings],
    }
    if result.area:
        a = result.area
        data.update({
            "area_estimates": [clean(r) for r in area_rows(result)],
            "overall_accuracy_estimate": _num(a["overall_accuracy"]),
            "overall_accuracy_ci95": _num(a["overall_accuracy_ci95"]),
            "total_area": a["total_area"],
            "pixel_area": a["pixel_area"],
            "sample_counts": {str(c): n for c, n in zip(a["classes"], a["samples"])},
            "area_method": "Olofsson et al. 2014, stratified by map class",
            "sampling_unit": a.get("sampling_unit", "point"),
        })
    return data


def write_json(result, path):
    """The whole result (scores, confusion matrix, per-image scores, warnings)."""
    data = to_dict(result)
    return _write_atomically(path, lambda f: json.dump(data, f, indent=1))


# ---------------------------------------------------------------- HTML
_CSS = """
body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:3px 7px;text-align:right;font-size:13px}
th{background:#f3f3f3}
td.name,th.name{text-align:left}
.summary td{font-size:15px}
.cm td{min-width:3.5em}
.bar{height:10px;display:inline-block;vertical-align:middle}
.warn{color:#a33}
"""


def write_html(result, path, title="Segmentation evaluation"):
    """A self-contained page: summary, confusion-matrix heat map (cells
    coloured by the row-normalised share, raw counts shown), per-class bars
    of precision / recall / F1 / IoU, and the per-image table when present."""
    e = html.escape
    s = result.scores
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(title)}</title>"
             f"<style>{_CSS}</style></head><body><h1>{e(title)}</h1>"]
    mode = "mean over images" if result.mode == "per_image" else "all pixels pooled"
    parts.append(f"<p>Mode: {e(result.mode)} ({mode}); background (class 0) "
                 f"{'ignored' if result.ignore_background else 'included'}; "
                 f"{s['pixels']:,} pixels compared.</p>")
    for w in result.warnings:
        parts.append(f"<p class='warn'>{e(w)}</p>")
    parts.append("<h2>Summary</h2><table class='summary'>")
    for key in SUMMARY_KEYS:
        parts.append(f"<tr><th class='name'>{SUMMARY_LABELS[key]}</th>"
                     f"<td>{_fmt(s[key])}</td></tr>")
    parts.append("</table>")
    parts.append(_html_confusion(result))
    parts.append(_html_classes(result))
    if result.area:
        parts.append(_html_area(result))
    if result.per_image:
        parts.append(_html_per_image(result))
    parts.append("</body></html>\n")
    return _write_atomically(path, lambda f: f.write("".join(parts)))


def _html_confusion(result):
    e = html.escape
    cm = np.asarray(result.cm, np.int64)
    rows = cm.sum(axis=1, keepdims=True)
    share = np.where(rows > 0, cm / np.maximum(rows, 1), 0.0)
    names = result.names
    out = ["<h2>Confusion matrix</h2><p>Rows: reference; columns: prediction. Cell colour: "
           "share of the reference row.</p><table class='cm'><tr><th class='name'>"
           "reference \\ prediction</th>"]
    out += [f"<th>{e(n)}</th>" for n in result.column_names]
    out.append("<th>total</th></tr>")
    for i, name in enumerate(names):
        out.append(f"<tr><th class='name'>{e(name)}</th>")
        for j in range(len(result.columns)):
            v = share[i, j]
            light = int(round(97 - 55 * v))  # white -> blue
            fg = "#fff" if v > 0.6 else "#000"
            out.append(f"<td style='background:hsl(210,70%,{light}%);color:{fg}' "
                       f"title='{v:.1%}'>{cm[i, j]:,}</td>")
        out.append(f"<td>{int(rows[i, 0]):,}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _html_classes(result):
    e = html.escape
    out = ["<h2>Per class</h2><table><tr><th class='name'>value</th><th class='name'>name</th>"]
    out += [f"<th class='name'>{CLASS_LABELS[k]}</th>" for k in PER_CLASS_KEYS]
    out.append("<th>reference pixels</th><th>predicted pixels</th></tr>")
    for r in _rows(result):
        out.append(f"<tr><td class='name'>{r['value']}</td><td class='name'>{e(r['name'])}</td>")
        for k in PER_CLASS_KEYS:
            v = r[k]
            width = 0 if v is None or math.isnan(v) else int(round(100 * v))
            out.append(f"<td class='name'><span class='bar' style='width:{width}px;"
                       f"background:{BAR_COLORS[k]}'></span> {_fmt(v, 3)}</td>")
        out.append(f"<td>{r['reference_pixels']:,}</td><td>{r['predicted_pixels']:,}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _html_area(result):
    e = html.escape
    a = result.area

    def pm(value, ci, digits):
        if value is None or math.isnan(value):
            return ""
        return f"{value:,.{digits}f}" + ("" if ci is None or math.isnan(ci)
                                         else f" &plusmn; {ci:,.{digits}f}")

    out = ["<h2>Map accuracy and area estimates</h2><p>Stratified estimators of Olofsson et "
           "al. (2014), the map classes as strata: each figure &plusmn; the half-width of "
           "its 95% confidence interval. Areas in map units squared (a pixel: "
           f"{a['pixel_area']:,.6g}); the map covers {a['total_area']:,.6g}. Overall "
           f"accuracy {pm(a['overall_accuracy'], a['overall_accuracy_ci95'], 3)}."
           + (" Each reference polygon is one sample (a cluster of pixels), not each of "
              "its pixels." if a.get("sampling_unit") == "polygon" else "") + "</p>",
           "<table><tr><th class='name'>value</th><th class='name'>name</th>"
           "<th>samples</th><th>mapped area</th><th>estimated area</th>"
           "<th>user's accuracy</th><th>producer's accuracy</th></tr>"]
    samples = dict(zip(a["classes"], a["samples"]))
    for r in area_rows(result):
        out.append(f"<tr><td class='name'>{r['value']}</td><td class='name'>{e(r['name'])}</td>"
                   f"<td>{samples[r['value']]:,}</td><td>{r['mapped_area']:,.6g}</td>"
                   f"<td>{pm(r['adjusted_area'], r['adjusted_area_ci95'], 0)}</td>"
                   f"<td>{pm(r['users_accuracy'], r['users_accuracy_ci95'], 3)}</td>"
                   f"<td>{pm(r['producers_accuracy'], r['producers_accuracy_ci95'], 3)}</td>"
                   "</tr>")
    out.append("</table>")
    return "".join(out)


def _html_per_image(result):
    e = html.escape
    out = ["<h2>Per image</h2><table><tr><th class='name'>image</th>"]
    out += [f"<th>{SUMMARY_LABELS[k]}</th>" for k in SUMMARY_KEYS]
    out.append("<th>pixels</th></tr>")
    for name, sc in result.per_image:
        out.append(f"<tr><td class='name'>{e(name)}</td>")
        out += [f"<td>{_fmt(sc[k])}</td>" for k in SUMMARY_KEYS]
        out.append(f"<td>{sc['pixels']:,}</td></tr>")
    out.append("</table>")
    return "".join(out)
