"""Predict Scenes: one model over a list of scenes, each scene's outputs named
after it in one folder.

Entry point: :func:`run_job` (the worker's ``"predict_scenes"`` task, the
fields of :class:`ScenesParams`). Scene ``NAME`` (its file's stem, or the
name given; a second scene of the same name gets ``_2``...) writes
``NAME_classes.tif`` and, when asked, ``NAME_probability.tif``,
``NAME_confidence.tif``, ``NAME_entropy.tif`` and ``NAME_classes.gpkg``
(the outputs of Predict Raster, written the same way).

With ``workers`` (a LocalCluster) or ``scheduler`` (an existing Dask
cluster) every scene's blocks go into one queue on the same cluster
(:func:`.distributed.run_scenes`); without, the scenes run one after the
other in this process, the model loaded once for all of them. Progress runs
over all the scenes. A scene that fails (a bad file, a block's data error) is
reported by name, as a warning and in the result's ``failed`` list, and the
others go on; only when every scene fails does the job fail.
"""

import dataclasses
import os
import re
import time
import uuid
from typing import List, Optional

from .. import options, outputs
from ..errors import Cancelled, InputError, SegError
from ..progress import ensure
from . import distributed, prediction

SUFFIXES = {"output": "_classes.tif", "output_probability": "_probability.tif",
            "output_confidence": "_confidence.tif", "output_entropy": "_entropy.tif",
            "output_vector": "_classes.gpkg"}


@dataclasses.dataclass
class ScenesParams:
    """What Predict Scenes needs; the field names are the job's keys. 0 = auto."""

    inputs: List[str]
    model: str
    output_folder: str
    names: Optional[List[str]] = None  # what to call each scene (default: its file's stem)
    bands: Optional[List[int]] = None
    mode: str = "stride"
    tile_size: int = 0
    overlap: Optional[int] = 0
    batch_size: int = 0
    memory_budget: Optional[float] = 0
    tta: str = "none"
    probability: bool = False
    probability_format: str = "byte"
    confidence: bool = False
    entropy: bool = False
    vector: bool = False
    min_area: float = 0.0
    backend: str = "auto"
    workers: int = 0
    scheduler: Optional[str] = None
    block_size: int = 0


def scene_names(inputs, names=None):
    """A file-name-safe, unique name per scene: ``names[i]`` or the stem of
    ``inputs[i]``; repeated names get ``_2``, ``_3``..."""
    seen, result = {}, []
    for i, path in enumerate(inputs):
        given = (names[i] if names and i < len(names) and names[i] else
                 os.path.splitext(os.path.basename(str(path).split("|")[0]))[0])
        name = re.sub(r"[^\w.-]+", "_", str(given)).strip("._") or f"scene_{i + 1}"
        key = name.lower()
        seen[key] = seen.get(key, 0) + 1
        result.append(name if seen[key] == 1 else f"{name}_{seen[key]}")
    return result


def scene_params(s, path, name):
    """The PredictParams of scene ``path`` called ``name``."""
    folder = os.path.abspath(s.output_folder)
    paths = {key: os.path.join(folder, name + suffix) for key, suffix in SUFFIXES.items()}
    return prediction.PredictParams(
        input=path, model=s.model, output=paths["output"], bands=s.bands, mode=s.mode,
        tile_size=s.tile_size, overlap=s.overlap, batch_size=s.batch_size,
        memory_budget=s.memory_budget, tta=s.tta,
        output_probability=paths["output_probability"] if s.probability else None,
        probability_format=s.probability_format,
        output_confidence=paths["output_confidence"] if s.confidence else None,
        output_entropy=paths["output_entropy"] if s.entropy else None,
        output_vector=paths["output_vector"] if s.vector else None,
        min_area=s.min_area, backend=s.backend)


def run_job(params, progress=None):
    """The worker's ``"predict_scenes"`` task (see the module docstring)."""
    progress = ensure(progress)
    s = ScenesParams(**options.job_params(ScenesParams, params, "predict_scenes"))
    if not s.inputs or not s.model or not s.output_folder:
        raise InputError("Predict Scenes needs scenes, a model and an output folder.")
    outputs.check_writable(s.output_folder, folder=True)
    os.makedirs(s.output_folder, exist_ok=True)
    started = time.perf_counter()
    names = scene_names(s.inputs, s.names)
    jobs = [(name, scene_params(s, path, name)) for path, name in zip(s.inputs, names)]
    progress.info("Predicting {n_scenes} scene(s) into {folder}.", n_scenes=len(jobs),
                  folder=s.output_folder)
    if s.scheduler or int(s.workers or 0) > 0:
        with distributed.connect(s.workers, s.scheduler, progress) as session:
            results = distributed.run_scenes(session, jobs, progress,
                                             block_size=s.block_size, keep_going=True)
            rss = distributed.peak_rss(session)
    else:
        results, rss = _in_process(jobs, progress), {}
    summary = _summary(s, jobs, results, time.perf_counter() - started, progress)
    return dict(summary, worker_peak_rss_mib=rss)


def _in_process(jobs, progress):
    """The scenes one after the other in this process, one model for all."""
    job = uuid.uuid4().hex
    results = []
    for k, (name, p) in enumerate(jobs):
        part = progress.sub(k / len(jobs), (k + 1) / len(jobs))
        try:
            plan, facts = prediction.plan_prediction(p, part, name=name)
            key = (job, os.path.abspath(p.model), tuple(plan.input_shape), len(facts.bands),
                   facts.backend)
            if k == 0:
                progress.info("Loading the model {model}.", model=p.model)
            predictor, _ = distributed._cached_predictor(key, 0)
            results.append(prediction.predict_raster(p, part, predictor=predictor))
        except Cancelled:
            raise
        except SegError as exc:
            progress.warning("{scene} failed: {error}", scene=name, error=str(exc))
            results.append({"scene": name, "error": str(exc), "template": exc.template,
                            "values": distributed._plain(exc.values)})
    return results


def _summary(s, jobs, results, seconds, progress):
    done = [dict(r, scene=name, input=p.input)
            for (name, p), r in zip(jobs, results) if "error" not in r]
    failed = [dict(r, scene=name, input=p.input)
              for (name, p), r in zip(jobs, results) if "error" in r]
    progress.info("{n_done} of {n_scenes} scene(s) predicted in {seconds:.1f} s; {n_failed} "
                  "failed.", n_done=len(done), n_scenes=len(jobs), seconds=seconds,
                  n_failed=len(failed))
    if not done:
        first = failed[0]
        raise InputError("No scene could be predicted; {scene}: {error}",
                         scene=first["scene"], error=first["error"])
    return {"output_folder": os.path.abspath(s.output_folder), "scenes": done,
            "failed": failed, "outputs": [r["output"] for r in done],
            "seconds": round(seconds, 3)}
