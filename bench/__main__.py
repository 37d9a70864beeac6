"""`python -m bench [--sizes 1000,10000,100000] [--calls 500] [--reading] [--search]`: print
every figure."""

from __future__ import annotations

import argparse
import time

from bench.suite import describe, machine, run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help='comma-separated corpus sizes ("" for the push figures only)',
    )
    parser.add_argument("--calls", type=int, default=500, help="samples per latency figure")
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the one-core full-parse reference (slow at 100k)",
    )
    parser.add_argument("--no-push", action="store_true", help="skip the push benchmarks")
    parser.add_argument(
        "--reading",
        action="store_true",
        help="also reading under load: 200 readers paging through a broadcast (~6 minutes)",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="also search latency per query kind at 100k posts (~4 minutes, bench.search)",
    )
    args = parser.parse_args()
    print(f"# Herald benchmarks — {machine()} — {time.strftime('%Y-%m-%d %H:%M')}")
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        print(f"\n## {size:,} posts\n")
        results = run(size, calls=args.calls, reference=not args.no_reference)
        for key, value in results.items():
            print(f"- {key}: {describe(key, value)}", flush=True)
    if not args.no_push:
        from bench.push import push_figures

        print("\n## push\n")
        for key, value in push_figures().items():
            print(f"- {key}: {describe(key, value)}", flush=True)
    if args.reading:
        from bench.reading_under_load import reading_under_load

        print("\n## reading under load\n")
        for key, value in reading_under_load().items():
            print(f"- {key}: {value}", flush=True)
    if args.search:
        import asyncio

        from bench.search import search_figures

        print("\n## search, 100,000 posts\n")
        for key, value in asyncio.run(search_figures(100_000, args.calls)).items():
            print(f"- {key}: {value}", flush=True)


if __name__ == "__main__":
    main()
