"""`python -m bench.cold_sync [--size N] [--rounds R] [--no-hugo] [--from DIR]`: a first load.

What a new user waits for: `sync` into an empty store, excerpts stored in the same pass,
each round in a fresh process (so its peak RSS, workers included, is its own, and its wall
time includes starting Python and importing Herald, as `herald sync` does).  The same
process then times a no-change re-sync and one changed file (a full scan, and as the
watcher does with the path known), and puts the file back.

The posts are generated (`bench.corpus`), or with `--from` copies of the real posts in a
folder, in turn, each under a name of its own (a real blog's posts are longer, with more
raw HTML, than the generated ones).  When `hugo` is on the PATH, the same files are built
as a Hugo site (highlighting off, minimal templates: every post a full HTML page),
alternating with Herald's rounds so both see the same minute of this shared machine;
otherwise the ratio is skipped with a note.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import copy_corpus, write_corpus

_HUGO_CONFIG = """baseURL = "http://example.org/"
title = "bench"
contentDir = "{content}"
[markup.highlight]
  codeFences = false
[markup.goldmark.renderer]
  unsafe = true
"""
_SINGLE = "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}\n"
_LIST = '{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>\n{{ end }}\n'


async def _herald_once(root: Path, db_path: Path) -> dict[str, Any]:
    """One cold sync and the re-syncs after it, in this (fresh) process."""
    from bench.rss_probe import peak_rss_mb
    from bench.suite import empty_store
    from herald.content.loader import discover
    from herald.indexing.excerpts import render_pending_excerpts
    from herald.indexing.sync import sync

    results: dict[str, Any] = {}
    async with empty_store(db_path) as store:
        cold = await sync(store.index, root, excerpt_chars=350)
        results["cold sync (s)"] = cold.seconds
        results["posts"] = len(cold.added)
        results["excerpts left to render"] = len(await store.index.cards_to_render())
        # A Herald that defers excerpts stores them in a second pass; timed, so that
        # "excerpts stored" means the same for any version this runs against.
        started = time.perf_counter()
        await render_pending_excerpts(store.index, excerpt_chars=350)
        results["excerpts rendered after the sync (s)"] = time.perf_counter() - started
        results["finished at"] = time.time()
        results["peak RSS, syncing process (MB)"] = peak_rss_mb()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        results["peak RSS, largest worker (MB)"] = children.ru_maxrss / 1024
        per_post = 1000 / max(1, len(cold.added))
        results["CPU, syncing process (ms a post)"] = _cpu(resource.RUSAGE_SELF) * per_post
        results["CPU, workers (ms a post)"] = _cpu(resource.RUSAGE_CHILDREN) * per_post
        quiet = []
        for _ in range(3):
            again = await sync(store.index, root, excerpt_chars=350)
            assert again.parsed == 0
            quiet.append(again.seconds)
        results["re-sync, nothing changed (s, median of 3)"] = statistics.median(quiet)
        paths = discover(root)
        name = paths[min(7, len(paths) - 1)].relative_to(root).as_posix()
        changed = root / name
        original = changed.read_bytes()
        full, known = [], []
        try:
            for edit in range(5):
                changed.write_bytes(original + f"\n修改 {edit}。\n".encode())
                one = await sync(store.index, root, excerpt_chars=350)
                assert one.updated == [name]
                full.append(one.seconds)
                changed.write_bytes(original + f"\n又一处 {edit}。\n".encode())
                watched = await sync(store.index, root, excerpt_chars=350, only={name})
                assert watched.updated == [name]
                known.append(watched.seconds)
        finally:
            changed.write_bytes(original)
        results["one changed file, full scan (s, median of 5)"] = statistics.median(full)
        results["one changed file, path known (s, median of 5)"] = statistics.median(known)
    return results


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def herald_round(root: Path, db_path: Path) -> dict[str, Any]:
    """A fresh process runs `_herald_once`; from its start until every excerpt is stored
    (Python started, Herald imported, the store created) is counted too."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.cold_sync", "--once", str(root), str(db_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    results: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    results["cold sync, excerpts stored, whole process (s)"] = results.pop("finished at") - started
    return results


def hugo_site(base: Path, content: Path) -> Path:
    """A Hugo site over `content` with highlighting off and minimal templates."""
    site = base / "hugo-site"
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(_HUGO_CONFIG.format(content=content), encoding="utf-8")
    (layouts / "single.html").write_text(_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(_LIST, encoding="utf-8")
    (site / "layouts" / "index.html").write_text(_LIST, encoding="utf-8")
    return site


def hugo_round(hugo: str, site: Path) -> float:
    output = site / "public"
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [hugo, "--quiet", "--source", str(site), "--destination", str(output),
         "--cacheDir", str(site / "cache")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    pages = sum(1 for _ in output.rglob("index.html"))
    assert pages > 0, "hugo built no pages"
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_sync")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--from", dest="source", type=Path, help="copy the posts of this folder")
    parser.add_argument("--once", nargs=2, metavar=("ROOT", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.once:
        results = asyncio.run(_herald_once(Path(args.once[0]), Path(args.once[1])))
        print(json.dumps(results))
        return
    hugo = None if args.no_hugo else shutil.which("hugo")
    base = Path(tempfile.mkdtemp(prefix="herald-cold-"))
    try:
        root = base / "content"
        if args.source:
            size = copy_corpus(args.source, root, args.size)
            kind = f"copies of {args.source}"
        else:
            size = write_corpus(root, args.size)
            kind = "generated"
        print(
            f"# cold sync, {args.size:,} posts ({kind}, {size / 1e6:.1f} MB), {args.rounds} rounds"
        )
        site = hugo_site(base, root) if hugo else None
        herald: list[dict[str, Any]] = []
        hugo_seconds: list[float] = []
        for round_number in range(args.rounds):
            herald.append(herald_round(root, base / "herald.db"))
            whole = herald[-1]["cold sync, excerpts stored, whole process (s)"]
            line = f"round {round_number + 1}: herald {whole:.2f} s"
            if hugo and site:
                hugo_seconds.append(hugo_round(hugo, site))
                line += f", hugo {hugo_seconds[-1]:.2f} s"
            print(line, flush=True)
        for key in herald[0]:
            values = [round_results[key] for round_results in herald]
            print(f"- {key}: {_spread(values)}")
        if hugo_seconds:
            ratios = [
                h["cold sync, excerpts stored, whole process (s)"] / g
                for h, g in zip(herald, hugo_seconds, strict=True)
            ]
            print(f"- hugo build, highlighting off (s): {_spread(hugo_seconds)}")
            print(f"- herald ÷ hugo, round by round: {_spread(ratios)}")
        else:
            why = "--no-hugo" if args.no_hugo else "hugo not installed (apt-get install hugo)"
            print(f"- herald ÷ hugo: skipped ({why})")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _spread(values: list[Any]) -> str:
    if not all(isinstance(value, int | float) for value in values):
        return ", ".join(str(value) for value in values)
    if all(isinstance(value, int) for value in values):
        return ", ".join(f"{value:,}" for value in values)
    return f"median {statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"


if __name__ == "__main__":
    main()
