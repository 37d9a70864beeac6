from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from herald.content.loader import discover, load_folder, read_post, slug_from_path
from herald.content.post import LoadError, Post
from tests.conftest import ICLR_POSTS


def load(root: Path, name: str, data: bytes | str) -> Post | LoadError:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_post(root, path)


def ok(root: Path, name: str, data: bytes | str) -> Post:
    loaded = load(root, name, data)
    assert isinstance(loaded, Post), loaded
    return loaded


def failed(root: Path, name: str, data: bytes | str) -> str:
    loaded = load(root, name, data)
    assert isinstance(loaded, LoadError), loaded
    assert loaded.path == name
    return loaded.reason


def test_yaml_frontmatter_fields(tmp_path: Path) -> None:
    post = ok(
        tmp_path,
        "a.md",
        (
            "---\ntitle: 'MoE: 负载均衡'\ndate: 2025-03-01T08:30:00+08:00\n"
            "updated: 2025-03-02\ntags: [LLM, 训练, llm]\nsummary: |\n  两行\n  摘要\n"
            "slug: moe-balance\ndraft: false\nlang: zh-CN\n---\n\n正文\n"
        ),
    )
    assert post.title == "MoE: 负载均衡"
    assert post.date == datetime(2025, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    assert post.updated == datetime(2025, 3, 2, tzinfo=UTC)
    assert post.tags == ("LLM", "训练")
    assert post.summary == "两行 摘要"
    assert (post.slug, post.draft, post.lang, post.body) == ("moe-balance", False, "zh", "正文\n")


def test_toml_frontmatter_as_hugo_writes_it(tmp_path: Path) -> None:
    post = ok(
        tmp_path,
        "hugo.md",
        (
            '+++\ntitle = "RoPE"\ndate = 2025-06-01T10:00:00+08:00\ntags = ["位置编码"]\n'
            'slug = "rope"\ndraft = true\n+++\n\n# 旋转位置编码\n'
        ),
    )
    assert (post.title, post.slug, post.tags, post.draft) == ("RoPE", "rope", ("位置编码",), True)
    assert post.date.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-05", datetime(2024, 1, 5, tzinfo=UTC)),
        ("'2024-01-05 10:30'", datetime(2024, 1, 5, 10, 30, tzinfo=UTC)),
        ("'2024/01/05'", datetime(2024, 1, 5, tzinfo=UTC)),
        ("'2024-01-05T10:30:00+08:00'", datetime(2024, 1, 5, 2, 30, tzinfo=UTC)),
        ("'2024-01-05T10:30:00Z'", datetime(2024, 1, 5, 10, 30, tzinfo=UTC)),
        ("'Jan 5, 2024'", datetime(2024, 1, 5, tzinfo=UTC)),
        ("'5 January 2024'", datetime(2024, 1, 5, tzinfo=UTC)),
        ("'Fri, 05 Jan 2024 10:30:00 +0000'", datetime(2024, 1, 5, 10, 30, tzinfo=UTC)),
        ("'2024年1月5日'", datetime(2024, 1, 5, tzinfo=UTC)),
    ],
)
def test_date_formats_are_timezone_aware(tmp_path: Path, value: str, expected: datetime) -> None:
    post = ok(tmp_path, "d.md", f"---\ntitle: D\ndate: {value}\n---\nx\n")
    assert post.date.tzinfo is not None and post.date == expected


def test_date_fallbacks_file_name_then_mtime(tmp_path: Path) -> None:
    jekyll = ok(tmp_path, "2023-07-09-notes.md", "---\ntitle: J\n---\nx\n")
    assert jekyll.date == datetime(2023, 7, 9, tzinfo=UTC) and jekyll.slug == "notes"
    path = tmp_path / "plain.md"
    path.write_text("---\ntitle: P\n---\nx\n", encoding="utf-8")
    loaded = read_post(tmp_path, path, mtime=1_700_000_000.0)
    assert isinstance(loaded, Post) and loaded.date == datetime.fromtimestamp(1_700_000_000, UTC)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("[a, b]", ("a", "b")),
        ("'a, b ,c'", ("a", "b", "c")),
        ("'强化学习，优化器、LLM'", ("强化学习", "优化器", "LLM")),
        ("['#x', X, '', '  y  z ']", ("x", "y z")),
        ("null", ()),
    ],
)
def test_tag_forms(tmp_path: Path, tags: str, expected: tuple[str, ...]) -> None:
    assert ok(tmp_path, "t.md", f"---\ntitle: T\ntags: {tags}\n---\nx\n").tags == expected


def test_categories_count_as_tags(tmp_path: Path) -> None:
    post = ok(tmp_path, "c.md", "---\ntags: [a]\ncategories: [A, b]\n---\nx\n")
    assert post.tags == ("a", "b")


def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path) -> None:
    heading = ok(tmp_path, "h.md", "```\n# not this\n```\n\n## The **real** `title`\n\ntext\n")
    assert heading.title == "The real title"
    named = ok(tmp_path, "gradient_check-point.md", "just text\n")
    assert named.title == "Gradient Check Point"


@pytest.mark.parametrize(
    ("relpath", "slug"),
    [
        ("flash-attention.md", "flash-attention"),
        ("Notes/2024-01-05-Flash Attention.md", "notes-flash-attention"),
        ("梯度检查点.md", "梯度检查点"),
        ("rl/GRPO_v2.markdown", "rl-grpo-v2"),
        ("!!!.md", "post"),
    ],
)
def test_slug_from_path(relpath: str, slug: str) -> None:
    assert slug_from_path(relpath) == slug


def test_frontmatter_slug_is_normalised(tmp_path: Path) -> None:
    assert ok(tmp_path, "x.md", "---\nslug: My Post\n---\nx\n").slug == "my-post"


@pytest.mark.parametrize(
    "draft", ["draft: true", "draft: 'yes'", "published: false", "hidden: true"]
)
def test_draft_forms(tmp_path: Path, draft: str) -> None:
    assert ok(tmp_path, "d.md", f"---\ntitle: D\n{draft}\n---\nx\n").draft


def test_language_is_detected_or_declared(tmp_path: Path) -> None:
    assert ok(tmp_path, "en.md", "Layer norm normalises each token.\n").lang == "en"
    assert ok(tmp_path, "zh.md", "层归一化对每个 token 做归一化。\n").lang == "zh"
    assert ok(tmp_path, "x.md", "---\nlang: en\n---\n中文正文\n").lang == "en"


def test_bom_and_crlf_are_tolerated(tmp_path: Path) -> None:
    post = ok(tmp_path, "w.md", b"\xef\xbb\xbf---\r\ntitle: Win\r\ntags: [a]\r\n---\r\nbody\r\n")
    assert (post.title, post.tags, post.body) == ("Win", ("a",), "body\n")


def test_file_without_frontmatter_uses_every_fallback(tmp_path: Path) -> None:
    post = ok(tmp_path, "2024-02-03-bare.md", "# Bare\n\ntext\n")
    assert (post.title, post.slug, post.tags, post.summary) == ("Bare", "bare", (), None)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("---\ntitle: [unclosed\n---\nx\n", "invalid YAML frontmatter at line"),
        ('+++\ntitle = "x\n+++\nx\n', "invalid TOML frontmatter"),
        ("---\ntitle: x\nno end\n", "YAML frontmatter is not closed"),
        ("---\n- a\n- b\n---\nx\n", "frontmatter must be a mapping of keys, got a list"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        ("", "is empty"),
        ("   \n\n", "is empty"),
        ("---\ntitle: {a: 1}\n---\nx\n", "title: expected text, got dict"),
        ("---\ndate: someday\n---\nx\n", "date: cannot parse 'someday' as a date"),
        ("---\ndraft: maybe\n---\nx\n", "draft: expected true or false"),
        ("---\ntags: {a: 1}\n---\nx\n", "tags: expected a list"),
        ("---\nlang: fr\n---\nx\n", "lang: expected zh or en"),
    ],
)
def test_bad_files_are_reported_with_a_reason(
    tmp_path: Path, data: str | bytes, reason: str
) -> None:
    assert reason in failed(tmp_path, "bad.md", data)


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("x" * 5000, encoding="utf-8")
    loaded = read_post(tmp_path, path, max_bytes=4000)
    assert (
        isinstance(loaded, LoadError) and "over the" in loaded.reason and "limit" in loaded.reason
    )


def test_folder_loads_the_rest_and_reports_duplicates_in_path_order(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a post", encoding="utf-8")
    ok(tmp_path, "a.md", "---\nslug: same\n---\na\n")
    ok(tmp_path, "b.md", "---\nslug: same\n---\nb\n")
    failed(tmp_path, "c.md", b"\x00")
    ok(tmp_path, "sub/d.markdown", "d\n")
    posts, errors = load_folder(tmp_path)
    assert [p.path for p in posts] == ["a.md", "sub/d.markdown"]
    assert [(e.path, e.reason) for e in errors] == [
        ("b.md", "duplicate slug 'same' (already used by a.md)"),
        ("c.md", "looks binary (contains NUL bytes), not Markdown"),
    ]
    assert [p.name for p in discover(tmp_path)] == ["a.md", "b.md", "c.md", "d.markdown"]


@pytest.mark.skipif(not ICLR_POSTS.is_dir(), reason="../shared/corpora is not beside the repo")
def test_real_world_jekyll_corpus_loads_completely() -> None:
    posts, errors = load_folder(ICLR_POSTS)
    assert errors == [] and len(posts) == 48
    by_slug = {post.slug: post for post in posts}
    assert by_slug["distill-example"].draft  # `hidden: true`, the track's template
    assert sum(post.draft for post in posts) == 1
    undated = by_slug["towards-more-rigorous-llm-evals"]
    assert undated.date == datetime(2025, 4, 28, tzinfo=UTC)  # from the file name
    assert by_slug["risks-private-evals"].date == datetime(2024, 11, 22, tzinfo=UTC)
    assert all(post.lang == "en" for post in posts)
    assert all(post.summary for post in posts)  # `description:` becomes the summary
    assert "\n" not in undated.summary  # type: ignore[operator]
    assert by_slug["feature-geometry"].title
