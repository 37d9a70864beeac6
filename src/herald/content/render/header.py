"""Turn a small, trusted HTML header (title, date, tags) back into runs, to split with the rest."""

from __future__ import annotations

from html.parser import HTMLParser

from herald.content.render.runs import Run, Tag


class _Runs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Tag] = []
        self.runs: list[Run] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        import html

        rendered = "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in attrs)
        self.stack.append((tag, rendered))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.runs.append(Run(data, tuple(self.stack)))


def header_runs(markup: str) -> list[Run]:
    parser = _Runs()
    parser.feed(markup)
    parser.close()
    runs = parser.runs
    while runs and not runs[-1].text.strip():  # the block separator supplies the gap
        runs.pop()
    return runs
