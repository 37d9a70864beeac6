"""`python -m bench.instructions [N]`: instructions per post, counted by valgrind.

Timings on a shared two-core VM drift by up to half between minutes, which hides a 10 %
change.  Instruction counts (callgrind's `Ir`) do not drift, so before/after comparisons
of the CPU-bound steps use them: the reference (read, parse, every renderer), a sync
worker's whole job (`prepare_batch`), and a whole cold sync in one process (parsing plus
writing SQLite).  Each is run for N posts and for none; the difference, divided by N, is
what one post costs, free of interpreter start-up and imports.  Needs `valgrind`; cache
misses and contention between processes are not in these counts, so they complement the
timings of `python -m bench`, they do not replace them.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.corpus import write_corpus

WORKLOADS = ("reference", "sync worker (prepare)", "cold sync in one process")


def run_workload(workload: str, root: Path, count: int) -> None:
    """The measured process's body: one workload over the first `count` posts."""
    from bench.suite import full_parse_one_core, store_at
    from herald.content.loader import discover
    from herald.indexing.prepare import prepare_batch
    from herald.indexing.sync import sync

    paths = discover(root)[:count]
    if workload == "reference":
        full_parse_one_core(root, paths)
    elif workload == "sync worker (prepare)":
        prepare_batch(root, [(p.relative_to(root).as_posix(), None) for p in paths], 350)
    else:
        subset = Path(tempfile.mkdtemp(prefix="subset-", dir=root.parent))  # main() removes it
        (subset / "content").mkdir()
        for path in paths:
            (subset / "content" / path.name).write_bytes(path.read_bytes())

        async def cold_sync() -> None:
            async with await store_at(subset / "h.db") as store:
                if paths:
                    await sync(store.index, subset / "content", excerpt_chars=350, workers=1)

        asyncio.run(cold_sync())


def instructions(workload: str, root: Path, count: int) -> int:
    output = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench.instructions",
            "--run",
            workload,
            str(root),
            str(count),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stderr
    found = re.search(r"Collected : (\d+)", output)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{output[-2000:]}")
    return int(found.group(1))


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        run_workload(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    base = Path(tempfile.mkdtemp(prefix="herald-ir-"))
    try:
        root = base / "content"
        write_corpus(root, count, seed=0)
        print(f"# Instructions per post (callgrind Ir), {count} posts\n")
        for workload in WORKLOADS:
            runs = instructions(workload, root, count) - instructions(workload, root, 0)
            print(f"- {workload}: {runs / count / 1e6:.2f} M", flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
