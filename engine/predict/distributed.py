"""Predict Raster on a Dask cluster: blocks of the scene as tasks, assembled
into the same outputs, pixel for pixel, as one process writes.

Entry point: :func:`run_job` (the worker's ``"predict_cluster"`` task: a
Predict Raster job plus ``workers``, ``scheduler`` and ``block_size``);
:mod:`.scenes` runs many scenes through :func:`run_scenes` here.

Where the cluster comes from (:func:`connect`): an existing scheduler given
by address (``scheduler``, e.g. ``tcp://10.0.0.5:8786``), or an embedded
``LocalCluster`` of ``workers`` processes on 127.0.0.1, one task at a time per
process and the machine's cores shared out between them (TensorFlow's
intra-op threads, OpenMP), so the cores are not oversubscribed. All Dask use
happens here, in the engine's worker process: QGIS never imports Dask.

Blocks (:func:`block_windows`): the output grid cut into rectangles of about
``block_size`` pixels a side (:data:`DEFAULT_BLOCK`), the cuts on the plan's
window starts. Windows are anchored to the scene's own pixel grid
(window_plan), so a run over a block's EXTENT reads the same windows that
touch the block, sums each pixel's windows in the same order with the same
weights, and writes the block's pixels exactly as the whole run would; a
window that straddles a cut is predicted once per block. Each task
(:func:`_run_block`) runs the ordinary stride prediction
(``prediction._predict_raster``) over its block and writes its part of every
requested raster output (classes, probabilities, confidence, entropy) into
the job's blocks folder, under names of its own (a task that runs twice never
writes over the other attempt's files). The client then writes the blocks,
in order, into the outputs made by the same :class:`.output_rasters.Writer`
a single run uses (same creation options, colour table, class names,
``SEMSEG_PLAN`` metadata of the whole scene's plan), builds the overviews
and the polygons, and renames the files into place. LABEL_NEXT and per-image
mode are single-process only (an InputError says so).

Each worker process loads the model once per job (:func:`_cached_predictor`
keeps the last one loaded, keyed by the job), not once per block.

Shared files: the workers of an existing cluster may run on other machines.
Before any task runs, :func:`check_workers` asks every worker to read the
model, the scenes (and the mask) and to write into the blocks folder (beside
the class output, which must be shared too); a worker that cannot is named in
the InputError with the path. A LocalCluster shares this machine's files, and
its blocks folder is a temporary folder of the job.

Faults: a worker process that dies loses its blocks, which Dask runs again on
another worker (its files have their own names, so the result is the same).
A block that fails for a data reason (an InputError in the task) stops the
job with that block's own message. A cancel (or any error) cancels the
pending tasks, removes the partial outputs and the blocks folder. Progress
comes from completed blocks, weighted by their windows.
"""

import contextlib
import dataclasses
import logging
import os
import shutil
import tempfile
import time
import uuid
from typing import List, Optional

from osgeo import gdal

from .. import options, outputs
from ..jsonable import input_error
from ..data import raster, sources
from ..errors import Cancelled, InputError, SegError
from ..progress import ensure
from . import prediction, window_plan
from .output_rasters import Writer

DEFAULT_BLOCK = 2048  # block side in pixels (BLOCK_SIZE 0)
SCHEDULER_ENV = "SEMSEG_DASK_SCHEDULER"
CONNECT_TIMEOUT_S = 20
POLL_S = 0.05  # how often the client looks for a cancel while it waits for blocks
# the raster outputs a block writes (vector outputs are made from the assembled class raster)
BLOCK_OUTPUTS = ("output", "output_probability", "output_confidence", "output_entropy")
# the thread-count variables of the native libraries a worker process runs
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclasses.dataclass
class ClusterParams(prediction.PredictParams):
    """Predict Raster's fields, and where its blocks run."""

    workers: int = 0  # processes of an embedded LocalCluster (with no scheduler)
    scheduler: Optional[str] = None  # address of an existing Dask scheduler
    block_size: int = 0  # pixels a side of a block; 0 = DEFAULT_BLOCK


CLUSTER_FIELDS = ("workers", "scheduler", "block_size")


def split_cluster(params, task):
    """``(predict fields, cluster fields)`` of a job's params (a dict), unknown
    keys refused (options.job_params)."""
    given = options.job_params(ClusterParams, params, task)
    cluster = {k: given.pop(k) for k in CLUSTER_FIELDS if k in given}
    return given, cluster


def run_job(params, progress=None):
    """The worker's ``"predict_cluster"`` task: one scene, its blocks on a cluster."""
    progress = ensure(progress)
    fields, cluster = split_cluster(params, "predict_cluster")
    missing = [k for k in ("input", "model", "output") if not fields.get(k)]
    if missing:
        raise InputError("The prediction needs {missing}.",
                         missing=", ".join(missing))
    gdal.SetCacheMax(min(gdal.GetCacheMax(), 128 << 20))
    p = prediction.PredictParams(**fields)
    with connect(cluster.get("workers"), cluster.get("scheduler"), progress) as session:
        results = run_scenes(session, [(None, p)], progress,
                             block_size=cluster.get("block_size"), keep_going=False)
        results[0]["worker_peak_rss_mib"] = peak_rss(session)
    return results[0]


def _own_peak_rss():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def peak_rss(session):
    """Peak resident memory (MiB) of each worker process so far, by address."""
    try:
        return {k: round(v, 1) for k, v in session.client.run(_own_peak_rss).items()}
    except (OSError, ImportError):
        return {}


# ---------------------------------------------------------------- the cluster
@dataclasses.dataclass
class Session:
    """A Dask client and what the blocks need to know about its cluster."""

    client: object  # distributed.Client
    local: bool  # an embedded LocalCluster (this machine's files, temporary blocks folder)
    threads: int  # intra-op threads per worker process (0: the worker's own default)
    workers: int  # worker processes when the job started
    job: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)


def worker_threads(workers, cores=None):
    """Threads each of ``workers`` processes may use on ``cores`` (default: this
    machine's usable cores) so that together they do not oversubscribe them."""
    if not cores:
        cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                 else os.cpu_count() or 1)
    return max(1, int(cores) // max(1, int(workers)))


def _workers_value(workers):
    try:
        value = int(workers or 0)
    except (TypeError, ValueError):
        value = -1
    if value < 0 or value != float(workers or 0):
        raise InputError("WORKERS must be 0 (one process) or a number of worker processes, "
                         "not {workers}.", workers=repr(workers))
    return value


@contextlib.contextmanager
def connect(workers=0, scheduler=None, progress=None):
    """A :class:`Session` on the scheduler at ``scheduler`` (an address), or
    on a LocalCluster of ``workers`` processes started for the job and closed
    after it."""
    progress = ensure(progress)
    workers = _workers_value(workers)
    scheduler = str(scheduler or "").strip()
    if not scheduler and workers < 1:
        raise InputError("A cluster run needs WORKERS of at least 1 or a Dask scheduler "
                         "address.")
    logging.getLogger("distributed").setLevel(logging.ERROR)
    from distributed import Client, LocalCluster

    if scheduler:
        progress.info("Connecting to the Dask scheduler {address}.", address=scheduler)
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError("Cannot reach the Dask scheduler {address}: {error}",
                             address=scheduler, error=exc) from None
        try:
            n = len(client.scheduler_info().get("workers", {}))
            if n == 0:
                raise InputError("The Dask scheduler {address} has no worker.",
                                 address=scheduler)
            progress.info("The cluster has {n_workers} worker(s).", n_workers=n)
            yield Session(client, local=False, threads=0, workers=n)
        finally:
            client.close()
        return
    threads = worker_threads(workers)
    env = {name: str(threads) for name in _THREAD_VARIABLES}
    env["TF_CPP_MIN_LOG_LEVEL"] = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")
    progress.info("Starting {n_workers} Dask worker process(es) on this machine, "
                  "{threads} thread(s) each.", n_workers=workers, threads=threads)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None, memory_limit=0,
                           silence_logs=logging.ERROR, env=env)
    try:
        client = Client(cluster, set_as_default=False)
        try:
            yield Session(client, local=True, threads=threads, workers=workers)
        finally:
            client.close()
    finally:
        cluster.close()


def _unreadable(paths, folder):
    """On a worker: ``[(path, reason)]`` of ``paths`` it cannot read and of
    ``folder`` if it cannot write there."""
    problems = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                f.read(1)
        except OSError as exc:
            problems.append((path, exc.strerror or str(exc)))
    if folder:
        probe = os.path.join(folder, f".probe-{uuid.uuid4().hex}")
        try:
            with open(probe, "wb"):
                pass
            os.remove(probe)
        except OSError as exc:
            problems.append((folder, exc.strerror or str(exc)))
    return problems


def check_workers(session, paths, folder=None):
    """InputError naming the first worker and path it cannot read (or the
    blocks ``folder`` it cannot write), before any task runs. ``paths``
    that are no local files (web sources) are not checked."""
    files = sorted({os.path.abspath(p) for p in paths if p and os.path.isfile(p)})
    answers = session.client.run(_unreadable, files, folder)
    for worker, problems in sorted(answers.items()):
        if problems:
            path, reason = problems[0]
            raise InputError("The Dask worker {worker} cannot read or write {path} ({reason}): "
                             "the model, the scenes and the outputs' folder must be on a "
                             "filesystem every worker shares, under the same path.",
                             worker=worker, path=path, reason=reason)


# ---------------------------------------------------------------- blocks
def _cuts(starts, lo, hi, size):
    """Block edges along one axis: ``lo``, window starts at least ``size``
    apart, ``hi``; a last block shorter than half of ``size`` joins the one
    before it."""
    cuts = [lo]
    for s in starts:
        if lo < s < hi and s >= cuts[-1] + size:
            cuts.append(s)
    if len(cuts) > 1 and hi - cuts[-1] < size // 2:
        cuts.pop()
    return cuts + [hi]


def block_windows(plan, block_size=0):
    """The blocks of ``plan``'s output grid, row by row: windows (scene
    pixels) whose edges are the grid's or window starts of the plan."""
    size = max(int(block_size or DEFAULT_BLOCK), plan.divisor)
    grid = plan.grid
    cols = _cuts(plan.xs, grid.x, grid.x + grid.width, size)
    rows = _cuts(plan.ys, grid.y, grid.y + grid.height, size)
    return [raster.Window(x0, y0, x1 - x0, y1 - y0)
            for y0, y1 in zip(rows, rows[1:]) for x0, x1 in zip(cols, cols[1:])]


def block_extent(geotransform, window):
    """``[xmin, ymin, xmax, ymax]`` of scene pixels ``window`` (north-up)."""
    x0, dx, _, y0, _, dy = geotransform
    xs = (x0 + window.x * dx, x0 + (window.x + window.width) * dx)
    ys = (y0 + window.y * dy, y0 + (window.y + window.height) * dy)
    return [min(xs), min(ys), max(xs), max(ys)]


_LOADED = {}  # in a worker process: {key: predictor}, the last model loaded
_LOADS = {"count": 0}  # models loaded by this process


def _cached_predictor(key, threads):
    """``(predictor, loaded now)``: this process's predictor for ``key`` = (job,
    model, input shape, bands, backend), loaded once; a new key replaces the old one."""
    if key in _LOADED:
        return _LOADED[key], False
    _LOADED.clear()
    _job, model, shape, bands, backend = key
    if threads and backend == "tensorflow":  # Keras, on whichever backend it runs
        from .. import tensorflow_only

        if tensorflow_only.keras_backend() == tensorflow_only.BACKEND:
            tensorflow_only.limit_threads(threads)
    from . import predictors

    predictor, _ = predictors.load_predictor(model, tuple(shape), bands, backend)
    _LOADED[key] = predictor
    _LOADS["count"] += 1
    return predictor, True


def _run_block(spec):
    """A Dask task: predict one block; its raster outputs go into the blocks
    folder under names of this attempt. Returns the block's facts, or
    ``{"error": ...}`` for a data reason (an InputError's template and values)."""
    started = time.perf_counter()
    folder = spec["folder"]
    gdal.SetCacheMax(min(gdal.GetCacheMax(), 128 << 20))
    attempt = uuid.uuid4().hex[:12]
    paths = {key: os.path.join(folder, f"s{spec['scene']}-b{spec['index']}-{attempt}-"
                                       f"{key}.tif") for key in spec["outputs"]}
    params = dict(spec["params"], extent=spec["extent"], output_vector=None,
                  output_label_next=None, **{k: None for k in BLOCK_OUTPUTS})
    params.update(paths)
    try:
        if not os.path.isdir(folder):  # the job ended (a cancel): write nothing
            raise Cancelled()
        predictor, loaded = _cached_predictor(tuple(spec["key"]), spec["threads"])
        result = prediction._predict_raster(prediction.PredictParams(**params), None,
                                            predictor=predictor)
    except Cancelled:
        return {"cancelled": True}
    except SegError as exc:
        return {"error": {"template": exc.template, "values": _plain(exc.values)}}
    return {"paths": paths, "pixels": result["pixels"], "windows": result["windows"],
            "seconds": time.perf_counter() - started, "pid": os.getpid(),
            "loaded": loaded}


def _plain(values):
    """A message's values as strings and numbers (they cross processes)."""
    return {k: v if isinstance(v, (int, float, str)) else str(v) for k, v in values.items()}


# ---------------------------------------------------------------- scenes
@dataclasses.dataclass
class SceneRun:
    """One scene of a cluster job: its plan, its blocks and their results."""

    index: int
    name: str  # what messages call it
    facts: prediction.RunFacts
    plan: window_plan.WindowPlan
    blocks: List[raster.Window]
    weight: float = 0.0  # windows of its blocks, for progress
    futures: list = dataclasses.field(default_factory=list)
    results: dict = dataclasses.field(default_factory=dict)  # block index -> result
    error: Optional[SegError] = None
    result: Optional[dict] = None

    @property
    def finals(self):
        return prediction._outputs(self.facts.params)


def _resolved(p, folder):
    """``(params, name)`` of a scene: its own grid, or a VRT in ``folder`` on
    the grid of ``p.resolution`` (as predict_raster reads it)."""
    web = sources.needs_grid(p.input)
    if not web and (not p.resolution or sources.own_grid(
            raster.open_raster(p.input, role="input raster"), p.resolution)):
        return dataclasses.replace(p, resolution=None), None
    path = sources.warped_path(p.input, folder, p.resolution, p.extent if web else None,
                               role="input raster")
    return (dataclasses.replace(p, input=path, resolution=None,
                                extent=None if web else p.extent),
            sources.describe(p.input))


def plan_scene(index, p, folder, block_size, progress, name=None):
    """Check one scene and make its plan and blocks (no output file yet)."""
    if p.output_label_next:
        raise InputError("OUTPUT_LABEL_NEXT is made by a single process only: set WORKERS to "
                         "0 and no Dask scheduler to write it.")
    p, warped_name = _resolved(p, folder)
    plan, facts = prediction.plan_prediction(p, progress, name=name or warped_name)
    if plan.mode != "stride":
        raise InputError("Per-image mode runs in a single process only: set WORKERS to 0 "
                         "and no Dask scheduler, or use stride mode.")
    gt = facts.scene_geotransform
    if gt[2] or gt[4]:
        raise InputError("A cluster run needs a north-up raster; {path} is rotated.",
                         path=p.input)
    blocks = block_windows(plan, block_size)
    scene = SceneRun(index=index, name=name or warped_name or sources.describe(p.input),
                     facts=facts, plan=plan, blocks=blocks)
    scene.weight = float(sum(_block_windows_count(plan, b) for b in blocks))
    return scene


def _block_windows_count(plan, block):
    win_h, win_w = plan.window_shape
    nx = sum(1 for x in plan.xs if x < block.x + block.width and x + win_w > block.x)
    ny = sum(1 for y in plan.ys if y < block.y + block.height and y + win_h > block.y)
    return max(1, nx * ny)


def _specs(session, scene, folder):
    p = scene.facts.params
    base = {k: v for k, v in dataclasses.asdict(p).items()}
    key = (session.job, os.path.abspath(p.model), tuple(scene.plan.input_shape),
           len(scene.facts.bands), scene.facts.backend)
    wanted = [k for k in BLOCK_OUTPUTS if getattr(p, k)]
    for i, block in enumerate(scene.blocks):
        yield {"scene": scene.index, "index": i, "folder": folder, "params": base,
               "extent": block_extent(scene.facts.scene_geotransform, block),
               "outputs": wanted, "key": key, "threads": session.threads}


def run_scenes(session, jobs, progress=None, block_size=0, keep_going=False):
    """Predict ``jobs`` = ``[(name or None, PredictParams)]`` on the session's
    cluster, all their blocks in one queue. Returns one result per job: the
    prediction's result dict, or with ``keep_going`` ``{"error": message,
    "scene": name}`` for a scene that failed (without it, the first failure
    raises). Cancel raises Cancelled after cancelling every pending task."""
    progress = ensure(progress)
    started = time.perf_counter()
    if session.local:
        folder = tempfile.mkdtemp(prefix="semseg-blocks-")
    else:
        first = jobs[0][1].output
        parent = os.path.dirname(os.path.abspath(first))
        os.makedirs(parent, exist_ok=True)
        folder = tempfile.mkdtemp(prefix=".semseg-blocks-", dir=parent)
    scenes, futures = [], {}
    try:
        for index, (name, p) in enumerate(jobs):
            try:
                scenes.append(plan_scene(index, p, folder, block_size, progress, name))
            except SegError as exc:
                if not keep_going:
                    raise
                scenes.append(_failed(index, name or sources.describe(p.input), exc, progress))
        live = [s for s in scenes if s.error is None]
        if live:
            live[0].plan.log(progress)
            paths = {s.facts.params.model for s in live}
            paths |= {s.facts.params.input for s in live}
            paths |= {s.facts.params.mask for s in live if s.facts.params.mask}
            check_workers(session, paths, folder)
        for s in live:
            progress.info("{scene}: {n_blocks} block(s) of at most {block} pixels a side.",
                          scene=s.name, n_blocks=len(s.blocks),
                          block=max(max(b.width, b.height) for b in s.blocks))
            for spec in _specs(session, s, folder):
                future = session.client.submit(_run_block, spec, pure=False,
                                               key=f"semseg-block-{session.job}-"
                                                   f"{s.index}-{spec['index']}")
                futures[future.key] = (s, spec["index"], future)
                s.futures.append(future)
        _gather(session.client, scenes, futures, progress.sub(0.0, 0.9), keep_going)
        remaining = [s for s in scenes if s.error is None]
        for k, s in enumerate(remaining):
            part = progress.sub(0.9 + 0.1 * k / len(remaining),
                                0.9 + 0.1 * (k + 1) / len(remaining))
            try:
                s.result = _assemble(s, part, started)
            except SegError as exc:
                if not keep_going or isinstance(exc, Cancelled):
                    raise
                _fail(s, exc, progress)
        progress(1.0)
    except BaseException:
        session.client.cancel([f for _, _, f in futures.values()], force=True)
        for s in scenes:
            if s.result is None:
                outputs.discard_all(s.finals)
        raise
    finally:
        _remove(folder)
    return [s.result if s.error is None else
            {"scene": s.name, "error": str(s.error), "template": s.error.template,
             "values": _plain(s.error.values)} for s in scenes]


def _remove(folder, tries=50):
    """Remove the blocks folder; again (every 0.2 s, for up to ``tries`` times) while
    a block that was already running when the job ended still creates files in it:
    once the folder is gone its later writes fail, so it stays gone."""
    for _ in range(tries):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.exists(folder):
            return
        time.sleep(0.2)


def _failed(index, name, exc, progress):
    scene = SceneRun(index=index, name=name, facts=None, plan=None, blocks=[])
    scene.error = exc
    progress.warning("{scene} failed: {error}", scene=name, error=str(exc))
    return scene


def _fail(scene, exc, progress):
    """Mark ``scene`` failed: its pending blocks cancelled, its partial files removed."""
    scene.error = exc
    for future in scene.futures:
        future.cancel()
    outputs.discard_all(scene.finals)
    progress.warning("{scene} failed: {error}", scene=scene.name, error=str(exc))


def _gather(client, scenes, futures, progress, keep_going):
    """Wait for the blocks, reporting progress from the completed ones."""
    from distributed import as_completed

    total = sum(s.weight for s in scenes if s.error is None) or 1.0
    done_weight = 0.0
    queue = as_completed([f for _, _, f in futures.values()], loop=client.loop)
    while not queue.is_empty():
        progress.check()
        if not queue.has_ready():
            time.sleep(POLL_S)
            continue
        finished = queue.next_batch(block=False)
        for future in finished:
            scene, index, _ = futures[future.key]
            if scene.error is not None or future.cancelled():
                continue
            if future.status == "error":
                exc = future.exception()
                raise exc
            result = future.result()
            if result.get("error") or result.get("cancelled"):
                error = result.get("error") or {"template": "Cancelled by the user.",
                                                "values": {}}
                exc = input_error(error)
                progress.warning("{scene}: block {block} of {n_blocks} failed.",
                                 scene=scene.name, block=index + 1,
                                 n_blocks=len(scene.blocks))
                if not keep_going:
                    raise exc
                _fail(scene, exc, progress)
                continue
            scene.results[index] = result
            done_weight += _block_windows_count(scene.plan, scene.blocks[index])
            progress(done_weight / total)


def _assemble(scene, progress, started):
    """Write the scene's blocks into its outputs (the single run's Writer),
    overviews, polygons; rename into place. Returns the scene's result."""
    facts, plan = scene.facts, scene.plan
    writer = None
    try:
        writer = Writer(facts.params, plan, facts.geotransform(plan.grid), facts.projection,
                        facts.classes)
        writer.ds.SetMetadataItem(prediction.PLAN_METADATA, window_plan.describe_plan(plan))
        _copy_metadata(scene.results[0]["paths"]["output"], writer.ds)
        targets = {"output": writer.ds, "output_probability": writer.prob,
                   "output_confidence": writer.confidence, "output_entropy": writer.entropy}
        grid = plan.grid
        for i, block in enumerate(scene.blocks):
            progress.sub(0.0, 0.5)(i / len(scene.blocks))
            where = raster.Window(block.x - grid.x, block.y - grid.y, block.width,
                                  block.height)
            for key, path in scene.results[i]["paths"].items():
                src = raster.open_raster(path, role="block")
                raster.write_window(targets[key], raster.read_window(
                    src, raster.Window(0, 0, block.width, block.height)), where)
                src = None
        targets = None  # the writer's own references only: close() closes the files
        counts = {}
        for result in scene.results.values():
            for value, n in result["pixels"].items():
                counts[int(value)] = counts.get(int(value), 0) + int(n)
        writer.close(progress.sub(0.5, 0.9))
        prediction._write_vectors(facts, plan, writer, progress.sub(0.9, 1.0))
        progress(1.0)
        for path in scene.finals:
            outputs.finish(path)
    except BaseException:
        if writer is not None:
            writer.abandon()
        outputs.discard_all(scene.finals)
        raise
    return _result(scene, counts, time.perf_counter() - started)


def _copy_metadata(block_path, ds):
    """The class raster's metadata items that the single run sets besides its
    plan (the model, its training footprints...), as block 0's class raster has them."""
    block = raster.open_raster(block_path, role="block")
    for key, value in (block.GetMetadata() or {}).items():
        if key != prediction.PLAN_METADATA:
            ds.SetMetadataItem(key, value)


def _result(scene, counts, seconds):
    p, plan = scene.facts.params, scene.plan
    windows = sum(r["windows"] for r in scene.results.values())
    workers = {r["pid"] for r in scene.results.values()}
    return {
        **prediction.output_fields(p, label_next=False),
        "classes": scene.facts.meta["classes"],
        "pixels": {k: v for k, v in sorted(counts.items())},
        "windows": windows,
        "windows_planned": plan.n_windows,
        "blocks": len(scene.blocks),
        "worker_processes": len(workers),
        "model_loads": sum(1 for r in scene.results.values() if r["loaded"]),
        "block_seconds": round(sum(r["seconds"] for r in scene.results.values()), 3),
        "plan": window_plan.describe_tile(plan),
        "seconds": round(seconds, 3),
    }
