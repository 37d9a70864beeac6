"""Issue 16: a Jekyll site and a Hugo site served as they are.

Every file of `tests/fixtures/sites/` goes through Herald's real sync into a real SQLite
store and through `herald check`'s reading of the folder; `expected.toml` says, per
file, what Herald must make of it (what the site itself shows: its slug and old names,
its date in the site's zone, its tags, its card, its images, its bold text, its links),
or which rule leaves it out.  The fixtures' README says which case of the issue each file
covers.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from herald.cli import main
from herald.content.document import Document, Link, Strong
from herald.content.markdown import parse_markdown
from herald.content.sites import SiteOptions, find_site
from herald.core.media import local_images
from herald.core.ports import Store
from herald.core.records import PostRecord, SyncReport
from herald.indexing.check import Inspection, inspect_folder
from herald.indexing.sync import sync
from herald.limits import DISCORD_MESSAGE_CHARS, TELEGRAM_MESSAGE_CHARS
from herald.render.discord_md import discord_messages
from herald.render.telegram_html import telegram_messages
from herald.render.text import inline_text
from herald.store import open_store
from tests.conftest import ICLR_POSTS
from tests.render.test_telegram_html import telegram_visible_text, utf16

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sites"
EXPECTED: dict[str, dict[str, dict[str, Any]]] = tomllib.loads(
    (FIXTURES / "expected.toml").read_text(encoding="utf-8")
)
LATER = int(datetime(2030, 6, 1, tzinfo=UTC).timestamp())
"""After every fixture date, the scheduled 2030 posts included."""


@dataclass
class Served:
    site_root: Path
    store: Store
    report: SyncReport
    inspection: Inspection


def _copy(site: str, tmp_path: Path) -> Path:
    root = tmp_path / site
    shutil.copytree(FIXTURES / site, root)
    return root


@pytest.fixture(scope="module", params=["jekyll", "hugo"])
def site_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def served(site_name: str, tmp_path: Path) -> AsyncIterator[Served]:
    root = _copy(site_name, tmp_path)
    store = await open_store(tmp_path / "herald.db", excerpt_chars=350)
    try:
        report = await sync(store.index, root, excerpt_chars=350, now=LATER)
        yield Served(root, store, report, inspect_folder(root))
    finally:
        await store.close()


def _cases(site: str) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from sorted(EXPECTED[site].items())


def _walk(nodes: object) -> Iterator[object]:
    stack: list[object] = [nodes]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple | list):
            stack.extend(reversed(node))
            continue
        yield node
        for name in getattr(node, "__slots__", ()):
            value = getattr(node, name)
            if isinstance(value, tuple):
                stack.append(value)


def _text_of(document: Document, kind: type[Strong] | type[Link]) -> list[Any]:
    found = [node for node in _walk(document.blocks) if isinstance(node, kind)]
    if kind is Strong:
        return [inline_text(node.children).strip() for node in found]  # type: ignore[attr-defined]
    return [node.href for node in found]  # type: ignore[attr-defined]


def _why_not(served: Served, path: str) -> str | None:
    """The rule or reason that keeps a file from being a post, as `herald check` says it
    (a file in a folder the site does not read: where, then why, when the reason does
    not say where itself)."""
    found = served.inspection
    for skipped in found.skipped:
        if skipped.path == path:
            return skipped.rule
    for error in found.errors:
        if error.path == path:
            return error.reason
    for place, reason in found.not_read.items():
        if path == place or (place.endswith("/") and path.startswith(place)):
            if place == path or reason.startswith("outside "):
                return reason
            return f"in {place}, {reason}"
    return None


async def _post(served: Served, slug: str) -> PostRecord:
    record = await served.store.posts.by_slug(slug, now=LATER)
    assert record is not None, f"/read {slug} finds nothing"
    return record


async def test_every_file_is_what_its_site_makes_of_it(served: Served, site_name: str) -> None:
    site = find_site(served.site_root)
    differences: list[str] = []
    for path, want in _cases(site_name):
        if not want["post"]:
            why = _why_not(served, path)
            if why is None or not why.startswith(want["why_starts"]):
                differences.append(f"{path}: left out as {why!r}, want {want['why_starts']!r}…")
            continue
        record = await _post(served, want["slug"])
        summary = record.summary
        got = {
            "path": record.path,
            "title": summary.title,
            "utc": summary.date.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            "local": summary.date.astimezone(site.zone).strftime("%Y-%m-%d %H:%M"),
            "lang": summary.lang,
            "tags": list(summary.tags),
        }
        wanted = {key: want[key] for key in ("title", "utc", "local", "lang", "tags")}
        wanted["path"] = site.folder.joinpath(path).relative_to(served.site_root).as_posix()
        for key, value in wanted.items():
            if got[key] != value:
                differences.append(f"{path}: {key} is {got[key]!r}, want {value!r}")
        card = summary.excerpt
        if not card.startswith(want["card_starts"]):
            differences.append(f"{path}: card {card[:90]!r}, want {want['card_starts']!r}…")
        if "card_lacks" in want and want["card_lacks"] in card:
            differences.append(f"{path}: card shows {want['card_lacks']!r}: {card!r}")
        if "card_has" in want and want["card_has"] not in card:
            differences.append(f"{path}: card lacks {want['card_has']!r}: {card!r}")
        document = parse_markdown(record.body)
        images = [
            image.path.relative_to(served.site_root).as_posix()
            for image in local_images(served.site_root, record.path, document, site)
        ]
        if images != want["images"]:
            differences.append(f"{path}: images {images}, want {want['images']}")
        for key, kind in (("bold", Strong), ("links", Link)):
            if key in want and _text_of(document, kind) != want[key]:
                differences.append(f"{path}: {key} {_text_of(document, kind)}, want {want[key]}")
        note = served.report.warnings.get(path, "")
        if "note_starts" in want and not note.startswith(want["note_starts"]):
            differences.append(f"{path}: warning {note!r}, want {want['note_starts']!r}…")
    assert not differences, "\n".join(differences)


async def test_old_names_and_pasted_urls_open_the_post(served: Served, site_name: str) -> None:
    """The slug Herald gave a post before it read the site (and the site's own aliases)
    keep working, and so does the post's URL pasted from the site."""
    site = find_site(served.site_root)
    for path, want in _cases(site_name):
        if not want["post"]:
            continue
        post_id = (await _post(served, want["slug"])).summary.id
        for name in [*want["aliases"], want["url"], f"{site.url}{site.baseurl}{want['url']}"]:
            found = await served.store.posts.by_slug(name, now=LATER)
            assert found is not None and found.summary.id == post_id, (path, name)


async def test_files_that_are_not_posts_are_never_cards(served: Served, site_name: str) -> None:
    latest = await served.store.posts.latest(now=LATER, offset=0, limit=100)
    posts = {want["title"] for _, want in _cases(site_name) if want["post"]}
    assert {card.title for card in latest.items} == posts
    assert latest.total == len(posts)


@pytest.mark.parametrize(
    "inside",
    ["", "_posts", "ml/_posts", "ml"],
)
def test_a_jekyll_root_is_found_from_the_folder_herald_is_pointed_at(
    inside: str, tmp_path: Path
) -> None:
    root = _copy("jekyll", tmp_path)
    site = find_site(root / inside)
    assert (site.kind, site.root, site.zone.key) == ("jekyll", root.resolve(), "Asia/Shanghai")
    assert (site.excerpt_separator, site.baseurl) == ("<!--more-->", "/blog")


@pytest.mark.parametrize("inside", ["", "content", "content/posts", "content/posts/中文目录"])
def test_a_hugo_root_is_found_from_the_folder_herald_is_pointed_at(
    inside: str, tmp_path: Path
) -> None:
    root = _copy("hugo", tmp_path)
    site = find_site(root / inside)
    assert (site.kind, site.root, site.zone.key, site.lang) == (
        "hugo",
        root.resolve(),
        "Asia/Shanghai",
        "zh",
    )
    assert site.main_sections == ("posts", "notes")


async def test_pointed_at_the_posts_folder_the_same_posts_are_served(tmp_path: Path) -> None:
    root = _copy("jekyll", tmp_path)
    store = await open_store(tmp_path / "herald.db", excerpt_chars=350)
    try:
        await sync(store.index, root / "_posts", excerpt_chars=350, now=LATER)
        graph = await store.posts.by_slug("graph", now=LATER)
        assert graph is not None and graph.path == "2026-07-18-graph-neural-networks.md"
        assert graph.summary.tags == ("gnn", "图神经网络", "深度学习", "ml", "notes")
    finally:
        await store.close()


def test_herald_settings_win_over_the_sites_own(tmp_path: Path) -> None:
    root = _copy("jekyll", tmp_path)
    site = find_site(root, SiteOptions(timezone="UTC", show_drafts=True))
    assert site.zone.key == "UTC" and site.show_drafts
    found = inspect_folder(root, SiteOptions(timezone="UTC", show_drafts=True))
    by_path = {post.path: post for post in found.posts}
    graph = by_path["_posts/2026-07-18-graph-neural-networks.md"]
    assert graph.date == datetime(2026, 7, 18, 22, 46, tzinfo=UTC)
    assert "_drafts/work-in-progress.md" in by_path  # dated by its mtime, as Jekyll does


def test_a_plain_folder_stays_a_plain_folder(tmp_path: Path) -> None:
    """`[content] site = "plain"` reads a site folder as Herald always read a folder."""
    root = _copy("jekyll", tmp_path)
    found = inspect_folder(root, SiteOptions(site="plain"))
    assert found.site.kind == "plain" and not found.skipped
    assert "about.md" in {post.path for post in found.posts}


def test_check_explains_each_skipped_file_with_its_rule(served: Served, site_name: str) -> None:
    """What `herald check` prints for a file the site does not publish."""
    left_out = [path for path, want in _cases(site_name) if not want["post"]]
    explained = {skipped.path for skipped in served.inspection.skipped}
    errors = {error.path for error in served.inspection.errors}
    for path in left_out:
        assert path in explained or path in errors or _why_not(served, path), path
    assert all(skipped.rule for skipped in served.inspection.skipped)


async def test_a_very_long_post_stays_within_every_limit(served: Served, site_name: str) -> None:
    """62 KB with a paragraph and a code block each longer than a Telegram message, a
    wide table and 40 sections: every message valid and within its platform's limit,
    none of the site's markers shown, no character lost."""
    if site_name != "jekyll":
        pytest.skip("the long post is the Jekyll site's")
    record = await _post(served, "very-long")
    document = parse_markdown(record.body)
    telegram = telegram_messages(document)
    shown = [telegram_visible_text(message) for message in telegram]
    assert len(telegram) > 5 and all(utf16(text) <= TELEGRAM_MESSAGE_CHARS for text in shown)
    assert not any("{:toc}" in text or "**" in text for text in shown)
    discord = discord_messages(document)
    assert all(len(message) <= DISCORD_MESSAGE_CHARS for message in discord)
    assert all(message.count("```") % 2 == 0 for message in discord), "a code fence left open"
    last_step = "def step_45(model, batch):"
    assert last_step in "".join(shown) and any(last_step in m for m in discord)


def test_a_configured_encoding_is_applied_and_a_wrong_one_reported(tmp_path: Path) -> None:
    """`[content] encoding` reads every file in it, with nothing guessed; a file that is
    not in it is reported with its byte, and the rest still load."""
    (tmp_path / "big5.md").write_bytes(
        "---\ntitle: 舊文章\n---\n\n繁體中文的內容。\n".encode("big5")
    )
    (tmp_path / "ascii.md").write_bytes(b"---\ntitle: Plain\n---\n\nPlain text.\n")
    (tmp_path / "cp1252.md").write_bytes(b"---\ntitle: x\n---\n\n\x80 euro\n")
    found = inspect_folder(tmp_path, SiteOptions(encoding="big5"))
    by_path = {post.path: post for post in found.posts}
    assert by_path["big5.md"].title == "舊文章" and "繁體中文的內容。" in by_path["big5.md"].body
    assert "ascii.md" in by_path and not found.warnings
    assert [error.path for error in found.errors] == ["cp1252.md"]
    assert found.errors[0].reason.startswith("not valid big5 (byte 0x")


def test_herald_check_says_what_is_served_and_what_the_site_leaves_out(tmp_path: Path) -> None:
    root = _copy("jekyll", tmp_path)
    result = CliRunner().invoke(main, ["check", str(root), "--db", str(tmp_path / "h.db")])
    out = result.output
    assert result.exit_code == 1, out  # the redirect stub is a problem: it is no card
    assert "_posts/2026-07-26-moved.md: no readable content (a redirect to" in out
    assert "  _posts/2026-07-24-gbk-post.md: not UTF-8: read as gb18030 (detected)" in out
    assert "  about.md: a page (layout: page), not a post: Jekyll's posts are in _posts/" in out
    assert "  vendor/: not read, excluded by _config.yml (exclude: vendor)" in out
    assert "Jekyll site: " in out and "not post(s)" in out


@pytest.mark.skipif(not ICLR_POSTS.is_dir(), reason="../shared/corpora is not beside the repo")
def test_the_iclr_corpus_served_as_the_jekyll_site_it_came_from(tmp_path: Path) -> None:
    """The ICLR 2025 blog posts are an al-folio (Jekyll) site's `_posts/`: in a site root
    every one is a post, named as the site names it, its old Herald name kept."""
    shutil.copytree(ICLR_POSTS, tmp_path / "_posts")
    (tmp_path / "_config.yml").write_text("timezone: UTC\n", encoding="utf-8")
    as_folder = inspect_folder(ICLR_POSTS)
    as_site = inspect_folder(tmp_path)
    assert as_site.site.kind == "jekyll" and not as_site.errors and not as_site.skipped
    assert len(as_site.posts) == len(as_folder.posts) > 20
    before = {post.path: post.slug for post in as_folder.posts}
    for post in as_site.posts:
        name = post.path.removeprefix("_posts/")
        assert post.slug == name.removesuffix(".md")[len("2025-04-28-") :], post.path
        assert before[name] in post.aliases or before[name] == post.slug, post.path
