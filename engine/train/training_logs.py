"""Training logs beside TensorBoard's: JSON history, a PNG of curves, an HTML page.

``write(log_dir, history, summary)`` writes ``history.json``,
``curves.png`` (loss, mIoU and learning rate per epoch) and ``index.html``
(parameters, classes, best figures and the curves). Matplotlib is used
through its object API with the Agg canvas, so no global backend changes.
"""

import html
import json
import os

from ..jsonable import jsonable

HISTORY_JSON = "history.json"
CURVES_PNG = "curves.png"
INDEX_HTML = "index.html"


def write(log_dir, history, summary):
    """Write the three files into ``log_dir``; return their paths.

    ``history``: list of per-epoch dicts (``epoch``, ``loss``, ``miou``,
    ``val_loss``, ``val_miou``, ``learning_rate``...). ``summary``: dict with
    ``parameters``, ``classes`` (``value``/``name``/``color``) and best figures.
    """
    os.makedirs(log_dir, exist_ok=True)
    paths = {}
    path = os.path.join(log_dir, HISTORY_JSON)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"summary": summary, "epochs": history}, f, indent=2, default=jsonable)
    paths["history"] = path
    if history:
        paths["curves"] = plot_curves(history, os.path.join(log_dir, CURVES_PNG))
    paths["html"] = write_html(os.path.join(log_dir, INDEX_HTML), history, summary,
                               CURVES_PNG if "curves" in paths else None)
    return paths


def plot_curves(history, path):
    """Loss, mean IoU (train and validation) and learning rate against epoch."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    epochs = [h["epoch"] for h in history]
    fig = Figure(figsize=(12, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    panels = (("Loss", ("loss", "val_loss")), ("Mean IoU", ("miou", "val_miou")),
              ("Learning rate", ("learning_rate",)))
    for i, (title, keys) in enumerate(panels):
        ax = fig.add_subplot(1, 3, i + 1)
        for key in keys:
            values = [h.get(key) for h in history]
            if any(v is not None for v in values):
                ax.plot(epochs, [float("nan") if v is None else v for v in values],
                        marker="o", markersize=3, label=key.replace("_", " "))
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if len(keys) > 1:
            ax.legend()
        if keys == ("learning_rate",):
            ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
    fig.tight_layout()
    fig.savefig(path)
    return path


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def write_html(path, history, summary, curves_name=None):
    e = html.escape
    rows = "".join(f"<tr><th>{e(str(k))}</th><td>{e(_fmt(v))}</td></tr>"
                   for k, v in summary.get("parameters", {}).items())
    best = "".join(f"<tr><th>{e(k.replace('_', ' '))}</th><td>{e(_fmt(summary[k]))}</td></tr>"
                   for k in ("output_model", "best_epoch", "best_val_miou",
                             "best_val_accuracy", "epochs_run", "duration_s")
                   if k in summary)
    classes = "".join(
        f"<tr><td>{c['value']}</td><td>{e(c['name'])}</td>"
        f"<td style='background:rgb({c['color'][0]},{c['color'][1]},{c['color'][2]});"
        f"width:3em'></td></tr>" for c in summary.get("classes", []))
    keys = [k for k in ("loss", "miou", "accuracy", "val_loss", "val_miou", "val_accuracy",
                        "learning_rate") if any(k in h for h in history)]
    head = "".join(f"<th>{e(k)}</th>" for k in ["epoch"] + keys)
    body = "".join("<tr>" + "".join(f"<td>{e(_fmt(h.get(k, '')))}</td>"
                                    for k in ["epoch"] + keys) + "</tr>" for h in history)
    img = f"<h2>Curves</h2><img src='{e(curves_name)}' alt='training curves'>" \
        if curves_name else ""
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Training summary</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:1em}}
th,td{{border:1px solid #ccc;padding:2px 8px;text-align:left}}img{{max-width:100%}}</style>
</head><body>
<h1>Training summary</h1>
<h2>Result</h2><table>{best}</table>
{img}
<h2>Classes</h2><table><tr><th>value</th><th>name</th><th>colour</th></tr>{classes}</table>
<h2>Parameters</h2><table>{rows}</table>
<h2>Epochs</h2><table><tr>{head}</tr>{body}</table>
</body></html>
"""
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return path
