# ruff: noqa: E501 - post sources read better unwrapped
"""A content folder that exercises everything the reader must not get wrong, and the
running reader over it (the real store, the real sync, uvicorn on an ephemeral port)."""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from herald.app import App, open_app, web_server
from herald.config import load_config
from herald.content.links import link_key

BOT_TOKEN = "123456789:AAExampleExampleExampleExampleExamp"  # not a real token
LONG_LINE = (
    "logits = torch.einsum('bhqd,bhkd->bhqk', query_states, key_states) / math.sqrt(head_dim)"
    "  # a deliberately long line that must scroll inside its own box, not widen the page"
)
WIDE_TEX = r"\mathcal{L}(\theta) = " + " + ".join(
    f"\\lambda_{{{i}}} \\|W_{{{i}}} x - y_{{{i}}}\\|_2^2" for i in range(12)
)
MATH_POST = f"""---
title: Attention, on a phone
date: 2025-04-28T10:00:00+08:00
tags: [transformers, 数学]
slug: attention
lang: en
---

## Attention, briefly

Scaled dot-product attention computes $\\operatorname{{softmax}}\\left(\\frac{{QK^\\top}}{{\\sqrt{{d_k}}}}\\right)V$ where $Q \\in \\mathbb{{R}}^{{n \\times d_k}}$. See [a link](https://example.org/a/very/long/path/that/keeps/going/and/going/index.html), [this harmless-looking link](javascript:alert(1)) and a note.[^1]

$$
\\mathrm{{Attention}}(Q,K,V) = \\operatorname{{softmax}}\\left(\\frac{{QK^\\top}}{{\\sqrt{{d_k}}}}\\right)V
$$

$$
\\begin{{aligned}}
\\nabla_\\theta \\mathcal{{L}} &= \\mathbb{{E}}_{{x \\sim p}}\\left[\\frac{{\\partial \\ell}}{{\\partial \\theta}}\\right] \\\\
&\\approx \\frac{{1}}{{N}}\\sum_{{i=1}}^{{N}} \\nabla_\\theta \\ell(x_i)
\\end{{aligned}}
$$

A wide inline formula: ${WIDE_TEX}$ scrolls in its paragraph.

$$
{WIDE_TEX}
$$

Unsupported TeX shows its source: $\\substack{{i<j \\\\ j<k}} x_{{ij}}$; hostile TeX stays text: $\\text{{<script>document.title='pwned'</script>}}$.

| model | params | context | MMLU | GSM8K | HumanEval | latency p50 (ms) | notes |
| --- | --- | --- | --- | --- | --- | --- | --- |
| llama-3-8b-instruct | 8.03B | 8192 | 68.4 | 79.6 | 62.2 | 41.7 | grouped-query attention, RoPE theta 500000 |
| mistral-7b-v0.3 | 7.25B | 32768 | 62.5 | 52.2 | 30.5 | 38.9 | sliding window 4096 |

```python
import math
import torch


def attention(query_states, key_states, value_states, head_dim):
    {LONG_LINE}
    return torch.softmax(logits, dim=-1) @ value_states
```

```
plain text block, no language: <b>not bold</b> & not markup
```

> *Attention is all you need* — **Vaswani et al.**

- inline code `x <- y && z`
- a local image: ![a small square](images/dot.png)
- a remote image becomes a link: ![remote figure](https://example.org/x.png)

## 中文段落

梯度检查点通过在前向传播中只保存部分激活值，在反向传播时重新计算其余激活值，以计算换显存。对于一个有 $L$ 层的网络，显存从 $O(L)$ 降到 $O(\\sqrt{{L}})$。

<div onclick="alert(1)">raw html <script>alert('x')</script> reduced to text</div>

[^1]: Vaswani et al., 2017.
"""
CHINESE_SLUG = "梯度下降笔记"
POSTS = {
    "attention.md": MATH_POST,
    "chinese.md": f"---\ntitle: 梯度下降笔记\nslug: {CHINESE_SLUG}\ndate: 2025-03-01T09:00:00+08:00\ntags: [优化器]\n---\n\n随机梯度下降每一步只看一个小批量。\n",
    "tags.md": "---\ntitle: Tags that need escaping\ndate: 2024-02-01T08:00:00+00:00\ntags: [C/C++, a b, 100%]\n---\n\nSee the tags.\n",
    "draft.md": "---\ntitle: Secret draft\ndraft: true\ndate: 2025-01-01\n---\n\nNot yet.\n",
    "future.md": "---\ntitle: From the future\ndate: 2099-01-01\n---\n\nNot yet either.\n",
    **{
        f"filler-{n:02d}.md": f"---\ntitle: Filler {n:02d}\ndate: 2024-01-{n:02d}T08:00:00+00:00\ntags: [filler]\n---\n\nPost number {n}.\n"
        for n in range(1, 23)
    },
}
CHINESE_KEY = link_key(CHINESE_SLUG)


def write_png(path: Path, size: int = 48) -> None:
    """A tiny solid PNG, made here so the tests ship no binary."""
    raw = b"".join(b"\x00" + b"\x33\x99\xcc" * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def write_site(root: Path) -> Path:
    """The content folder (with an image, and files that must never be served)."""
    content = root / "content"
    for name, text in POSTS.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    write_png(content / "images" / "dot.png")
    (content / "secret.txt").write_text("not an image", encoding="utf-8")
    (root / "outside.png").write_bytes((content / "images" / "dot.png").read_bytes())
    return content


@dataclass
class Reader:
    url: str
    app: App
    content: Path


async def _warm(url: str) -> None:
    """One article first, so Herald's parse workers are forked now: a worker forked after
    Playwright's driver started would inherit its pipes, and the driver would never see
    them close (the browser fixture would wait for it for ever)."""
    async with httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/p/attention")).status_code == 200


@asynccontextmanager
async def running_reader(root: Path, *, extra: str = "") -> AsyncIterator[Reader]:
    """The synced site behind the reader, on 127.0.0.1 and a port the system picks."""
    content = write_site(root)
    config = root / "herald.toml"
    config.write_text(
        f'[content]\ndir = "{content}"\nsite = "plain"\n[store]\npath = "{root / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\ntimezone = "UTC"\n'
        f'[web]\nport = 0\nbase_url = "https://reader.example.org"\n{extra}',
        encoding="utf-8",
    )
    settings = load_config(config, environ={"HERALD_TELEGRAM_TOKEN": BOT_TOKEN})
    async with open_app(settings) as app:
        report = await app.sync()
        assert not report.failed, report.failed
        server = web_server(app)
        assert server is not None
        url = server.bind()
        stop = asyncio.Event()
        task = asyncio.create_task(server.serve(stop))
        try:
            await _warm(url)
            yield Reader(url, app, content)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
