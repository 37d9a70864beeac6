"""Run as a separate process: open a synced store, re-sync, serve a few hundred requests,
print the peak resident set size.  Used by bench/suite.py (`peak RSS ...`)."""

from __future__ import annotations

import asyncio
import random
import resource
import sys
from pathlib import Path

from herald.core.reader import ReaderService
from herald.core.views import ArticleView
from herald.indexing.sync import sync
from herald.render import telegram_messages
from herald.store.sqlite import open_store


async def main(db_path: Path, root: Path) -> None:
    rng = random.Random(2)
    store = await open_store(db_path, excerpt_chars=350)
    try:
        await sync(store.index, root, excerpt_chars=350)
        reader = ReaderService(store)
        count = (await store.posts.latest(now=2**40, offset=0, limit=1)).total
        for _ in range(300):
            await reader.latest(rng.randint(1, max(1, count // 5)), lang="zh")
            await reader.search(rng.choice(["显存", "gradient", "注意力"]), lang="zh")
            article = await reader.article(f"post-{rng.randrange(count)}", lang="zh")
            if isinstance(article, ArticleView):
                telegram_messages(article.document)
    finally:
        await store.close()
    print(f"peak RSS of a serving process (MB) {peak_rss_mb():.1f}")


def peak_rss_mb() -> float:
    """This process's own peak RSS.  `getrusage(...).ru_maxrss` survives fork+exec, so a
    probe started by a 200 MB benchmark process would report 200 MB; VmHWM starts anew."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2])))
