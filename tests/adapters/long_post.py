"""A long post as real blogs write them, for the pager tests: 20+ Telegram messages.

Every section mixes what makes splitting hard: text that must be escaped (`<`, `>`,
`&`), bold and links that may be cut, code blocks longer than a message, lists, quotes,
tables, math, Chinese and emoji (two UTF-16 units each).
"""

from __future__ import annotations

from tests.conftest import WritePost

SLUG = "long-read"
TITLE = "A long read: attention, <kernels> & everything after"


def section(number: int) -> str:
    code = "\n".join(
        f"    if score[{i}] < limit and mask & {i}:  # 注意力 {number}.{i}" for i in range(40)
    )
    prose = (
        f"Paragraph {number}: the kernel keeps `Q·Kᵀ` on chip when n < 4096 & d ≤ 128; "
        f"**bold claims about <tiles> are cut** across messages, and [links stay]"
        f"(https://example.com/{number}?a=1&b=2) whole. 梯度检查点用计算换显存 🚀. "
    )
    return (
        f"## Section {number}\n\n"
        f"{prose * 6}\n\n"
        f"- first point of {number} with $x^2$ inside\n- second point, nested:\n"
        f"  - deeper <item> & more\n\n"
        f"> A quote in section {number}, with *emphasis* & <angle brackets>.\n\n"
        f"```python\ndef step_{number}(score, limit, mask):\n{code}\n```\n\n"
        f"| a | b < c |\n| - | - |\n| {number} | x & y |\n\n"
        f"$$\\sum_{{i=1}}^{{{number}}} i^2$$\n"
    )


def write_long_post(
    write_post: WritePost,
    *,
    sections: int = 20,
    slug: str = SLUG,
    image: str | None = None,
    date: str = "2025-03-01",
) -> None:
    """20 sections are 20 Telegram parts (and 41 Discord ones); 10 are 21 on Discord.
    `image`: a local image (relative to the post) shown in the first section."""
    body = "\n".join(section(number) for number in range(1, sections + 1))
    if image is not None:
        body = f"![A diagram]({image})\n\n{body}"
    write_post(f"{slug}.md", body, title=TITLE, date=date, tags=["LLM", "C++"], slug=slug)
