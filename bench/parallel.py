"""`python -m bench.parallel [N]`: what a second core is worth on this machine.

The cold-sync target compares a two-core sync with one core's work, which assumes two
busy processes each run as fast as one alone.  This measures that assumption with a sync
worker's own job (`prepare_batch` over N posts): one process alone, then two processes
doing the same job at the same time, alternating, three rounds each.  It prints each
process's CPU time a post (CPU time, not wall time: if the two slow each other down by
sharing caches, memory bandwidth or a busy host, CPU time a post rises) and how much
faster two cores got through twice the work.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.suite import cpu_seconds
from herald.content.loader import walk
from herald.indexing.prepare import prepare_batch
from herald.indexing.sync import BATCH_SIZE

ROUNDS = 3


def _run_together(
    root: Path, jobs: list[tuple[str, str | None]], copies: int
) -> tuple[float, float]:
    """CPU seconds a post of each copy, and wall seconds until all copies finished."""
    cpu_before = cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    pids = []
    for _ in range(copies):
        pid = os.fork()
        if pid == 0:  # the child: the job, then out without running any cleanup
            try:
                for start in range(0, len(jobs), BATCH_SIZE):
                    prepare_batch(root, jobs[start : start + BATCH_SIZE], 350)
            finally:
                os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    wall = time.perf_counter() - started
    return (cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_before) / copies / len(jobs), wall


def parallel(count: int) -> dict[str, float]:
    base = Path(tempfile.mkdtemp(prefix="herald-parallel-"))
    try:
        root = base / "content"
        write_corpus(root, count, seed=0)
        jobs: list[tuple[str, str | None]] = [(path, None) for path in sorted(walk(root))]
        prepare_batch(root, jobs[:20], 350)  # warm the page cache and lazy imports
        alone: list[tuple[float, float]] = []
        pair: list[tuple[float, float]] = []
        for _ in range(ROUNDS):
            alone.append(_run_together(root, jobs, 1))
            pair.append(_run_together(root, jobs, 2))
        cpu_alone = statistics.median(cpu for cpu, _ in alone) * 1000
        cpu_pair = statistics.median(cpu for cpu, _ in pair) * 1000
        wall_alone = statistics.median(wall for _, wall in alone)
        wall_pair = statistics.median(wall for _, wall in pair)
        return {
            "CPU a post, one process alone (ms)": cpu_alone,
            "CPU a post, each of two processes at once (ms)": cpu_pair,
            "CPU a post, two at once ÷ alone": cpu_pair / cpu_alone,
            "throughput of two cores ÷ one": 2 * wall_alone / wall_pair,
        }
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    print(
        f"# A sync worker's job over {count:,} posts, alone and two at once (median of {ROUNDS})\n"
    )
    for label, value in parallel(count).items():
        print(f"- {label}: {value:.3f}")


if __name__ == "__main__":
    main()
