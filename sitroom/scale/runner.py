"""Run shards on Ray when asked (and installed), else in local worker processes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from sitroom.ingest import SourceOptions
from sitroom.nlp.stages import Settings
from sitroom.scale.shards import ShardResult, run_shard

_LOCAL_ANALYZER = None


def _local_task(shard: str, out_dir: str, settings: Settings | None, options: SourceOptions | None) -> ShardResult:
    # One analyzer per worker process, reused across its shards (the model loads once).
    # CPU seconds of this process, model load included, so wall time on a busy machine is
    # not mistaken for the cost of a shard.
    global _LOCAL_ANALYZER
    from sitroom.nlp.analyze import Analyzer

    started = time.process_time()
    if _LOCAL_ANALYZER is None:
        _LOCAL_ANALYZER = Analyzer(settings)
    result = run_shard(shard, out_dir, settings, options, analyzer=_LOCAL_ANALYZER)
    if not result.reused:
        result.cpu_seconds = time.process_time() - started
    return result


def run_local(shards: Sequence[str], out_dir: str, workers: int = 2, settings: Settings | None = None,
              options: SourceOptions | None = None) -> Iterator[ShardResult]:
    if workers <= 1:
        for shard in shards:
            yield _local_task(shard, out_dir, settings, options)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_local_task, s, out_dir, settings, options) for s in shards]
        for fut in as_completed(futures):
            yield fut.result()


def run_ray(shards: Sequence[str], out_dir: str, address: str | None = None, num_cpus: int | None = None,
            settings: Settings | None = None, options: SourceOptions | None = None) -> Iterator[ShardResult]:
    """One Ray task per shard; `address=None` starts a local Ray, "auto" joins a cluster."""
    try:
        import ray
    except ImportError as exc:  # the cluster extra is optional
        raise RuntimeError("Ray is not installed: pip install 'sitroom[cluster]'") from exc
    started = not ray.is_initialized()
    if started:
        # Ray refuses num_cpus when joining a running cluster: its CPUs are the cluster's.
        cpus = {"num_cpus": num_cpus} if address is None else {}
        ray.init(address=address, include_dashboard=False, log_to_driver=False, **cpus)
    try:
        task = ray.remote(_local_task)
        pending = [task.remote(s, out_dir, settings, options) for s in shards]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])
    finally:
        if started:
            ray.shutdown()


def run(shards: Sequence[str], out_dir: str, runner: str = "local", workers: int = 2,
        address: str | None = None, settings: Settings | None = None, options: SourceOptions | None = None,
        on_result: Callable[[ShardResult], None] | None = None) -> list[ShardResult]:
    it = (run_ray(shards, out_dir, address, workers, settings, options) if runner == "ray"
          else run_local(shards, out_dir, workers, settings, options))
    results = []
    for r in it:
        results.append(r)
        if on_result is not None:
            on_result(r)
    return results
