"""`herald check`: everything that would keep a post from being served, without a database."""

from __future__ import annotations

from pathlib import Path

from herald.content.loader import load_folder
from herald.content.markdown import parse_markdown
from herald.content.post import LoadError, Post
from herald.render import excerpt


def check_folder(root: Path) -> tuple[list[Post], list[LoadError]]:
    posts, errors = load_folder(root)
    servable: list[Post] = []
    for post in posts:
        try:
            excerpt(parse_markdown(post.body), lang=post.lang)
        except Exception as exc:  # report a renderer failure as this post's problem
            errors.append(LoadError(post.path, f"cannot render: {exc!r}"))
            continue
        servable.append(post)
    errors.sort(key=lambda error: error.path)
    return servable, errors
