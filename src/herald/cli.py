"""`herald run | console | sync | check | new | outbox | migrate`: the command line, thin
over app.py.

Every command takes `--config FILE`, and `--content DIR` / `--db FILE` override the config,
so the bot can be pointed at any folder without editing files.  Expected failures (bad
config, missing folder, unusable database) print one line and exit 2, never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import click

from herald.adapters import platforms
from herald.app import open_app
from herald.config import Config, load_config
from herald.failures import expected_failure
from herald.logs import setup_logging
from herald.preflight import check_store_path

P = ParamSpec("P")
R = TypeVar("R")


def _path_option(flag: str, name: str, help_text: str) -> Callable[..., Any]:
    return click.option(flag, name, type=click.Path(path_type=Path), default=None, help=help_text)


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command takes, so any command can be pointed anywhere."""
    options = [
        _path_option(
            "--config",
            "config_path",
            "Config file (default: $HERALD_CONFIG, else ./herald.toml if present).",
        ),
        _path_option("--content", "content_dir", "Content folder; overrides [content] dir."),
        _path_option("--db", "db_path", "SQLite file; overrides [store] path."),
        click.option("-v", "--verbose", is_flag=True, help="Log more (to stderr)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class UserError(click.ClickException):
    """Something the user can fix (config, paths): one line, exit status 2."""

    exit_code = 2


def _config(
    config_path: Path | None,
    content_dir: Path | None,
    db_path: Path | None,
    verbose: bool,
    *,
    quiet: bool | None = None,
    store: bool = True,
) -> Config:
    """The configuration, with logging set up for it; `store`: the command opens the store,
    so its path is checked first."""
    config = load_config(config_path, content_dir=content_dir, db_path=db_path)
    if store:  # a ConfigError is one line, like every failure `_friendly` knows
        check_store_path(config, from_command_line=db_path is not None)
    if quiet is None:  # the console owns the terminal; a service logs what it does
        found = platforms()
        quiet = not any(found[name].enabled(s) for name, s in config.platforms.items())
    level = logging.DEBUG if verbose else (logging.WARNING if quiet else logging.INFO)
    setup_logging(level, config.secrets())
    return config


def _friendly(function: Callable[P, R]) -> Callable[P, R]:
    """Turn the failures a user can fix into one clear line (exit 2), and the rest into a
    log record, so no traceback reaches the terminal without its secrets scrubbed."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:  # before the service took over Ctrl-C (it stops cleanly)
            sys.exit(130)
        except Exception as exc:
            line = expected_failure(exc)
            if line is None:
                logging.getLogger("herald").critical("unexpected failure", exc_info=exc)
                sys.exit(1)
            raise UserError(line) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="herald")
def main() -> None:
    """Herald: publish a Markdown knowledge base to Telegram, Discord and the terminal."""


@main.command()
@_common
@_friendly
def console(
    config_path: Path | None, content_dir: Path | None, db_path: Path | None, verbose: bool
) -> None:
    """Chat with the bot in this terminal (also works piped); pushes show up here too."""
    config = _config(config_path, content_dir, db_path, verbose, quiet=True)
    from herald.app import run_service

    asyncio.run(run_service(config.without_tokens()))


@main.command()
@_common
@_friendly
def run(
    config_path: Path | None, content_dir: Path | None, db_path: Path | None, verbose: bool
) -> None:
    """Run the bot: Telegram and/or Discord when their tokens are set, else the console."""
    config = _config(config_path, content_dir, db_path, verbose)
    from herald.app import run_service

    asyncio.run(run_service(config))


@main.command()
@click.option(
    "--allow-removals",
    is_flag=True,
    help="Remove posts even when many vanished at once (held back otherwise).",
)
@_common
@_friendly
def sync(
    allow_removals: bool,
    config_path: Path | None,
    content_dir: Path | None,
    db_path: Path | None,
    verbose: bool,
) -> None:
    """Bring the database in line with the content folder and summarise the changes."""
    config = _config(config_path, content_dir, db_path, verbose, quiet=True)
    report, excerpts, excerpt_seconds = asyncio.run(_sync(config, allow_removals))
    click.echo(
        f"added {len(report.added)}, updated {len(report.updated)}, removed "
        f"{len(report.removed)}, unchanged {report.unchanged}, failed {len(report.failed)} "
        f"({report.seconds:.2f} s)"
    )
    if excerpts:
        click.echo(f"excerpts rendered: {excerpts} ({excerpt_seconds:.2f} s)")
    for path, reason in report.failed.items():
        click.echo(f"  {path}: {reason}")
    for path, reason in report.warnings.items():
        click.echo(f"  {path}: {reason}")
    for path in report.held_back:
        click.echo(f"  {path}: removal held back")
    if report.held_back:
        click.echo(
            f"held back {len(report.held_back)} removal(s): too many posts vanished at once; "
            "if they are meant to go, run `herald sync --allow-removals`"
        )


async def _sync(config: Config, allow_removals: bool) -> Any:
    from rich.progress import Progress

    async with open_app(config) as app:
        with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("parsing", total=None)

            def update(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            report = await app.sync(progress=update, allow_mass_removal=allow_removals)
            # A large sync leaves cards' excerpts for later; this command finishes the job.
            progress.update(task, description="excerpts", completed=0, total=None)
            started = time.perf_counter()
            excerpts = await app.render_excerpts(progress=update)
            return report, excerpts, time.perf_counter() - started


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@_common
@_friendly
def check(
    folder: Path | None,
    config_path: Path | None,
    content_dir: Path | None,
    db_path: Path | None,
    verbose: bool,
) -> None:
    """List every post that cannot be served, with the reason; exit 1 if there is any.
    Files the site does not publish as posts, and folders it does not read, are listed
    after them with the rule that leaves them out; they are not problems."""
    from herald.indexing.check import inspect_folder

    config = _config(config_path, content_dir, db_path, verbose, quiet=True, store=False)
    root = folder or config.content.dir
    if not root.is_dir():
        raise UserError(f"content folder not found: {root}")
    found = inspect_folder(root, config.content.site_options())
    for error in found.errors:
        click.echo(f"{error.path}: {error.reason}")
    if found.warnings:
        click.echo("served, with a warning:")
    for warning in found.warnings:
        click.echo(f"  {warning.path}: {warning.reason}")
    if found.skipped or found.not_read:
        click.echo(f"not posts ({found.site.kind} site rules, not problems):")
    for skipped in found.skipped:
        click.echo(f"  {skipped.path}: {skipped.rule}")
    for path, reason in sorted(found.not_read.items()):
        click.echo(f"  {path}: not read, {reason}")
    site = found.site
    if site.kind != "plain":
        where = site.root / site.config_file if site.config_file else site.root
        click.echo(f"{site.kind.capitalize()} site: {where}", err=True)
    for problem in site.problems:
        click.echo(f"{site.config_file or root}: {problem}", err=True)
    drafts = sum(1 for post in found.posts if post.draft)
    left_out = f", {len(found.skipped)} not post(s)" if found.skipped else ""
    click.echo(
        f"{len(found.posts)} post(s) OK ({drafts} draft), {len(found.errors)} problem(s){left_out}",
        err=True,
    )
    sys.exit(1 if found.errors else 0)


@main.command()
@click.argument("title")
@click.option("--slug", default=None, help="URL name (default: from the title).")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@_common
@_friendly
def new(
    title: str,
    slug: str | None,
    tags: tuple[str, ...],
    config_path: Path | None,
    content_dir: Path | None,
    db_path: Path | None,
    verbose: bool,
) -> None:
    """Scaffold a post (as a draft) in the content folder and print its path."""
    import yaml

    config = _config(config_path, content_dir, db_path, verbose, quiet=True, store=False)
    name = slug or _slugify(title)
    if not name:
        raise UserError("cannot make a file name from that title; pass --slug")
    path = config.content.dir / f"{name}.md"
    if path.exists():
        raise UserError(f"{path} already exists")
    now = datetime.now(ZoneInfo(config.bot.timezone)).replace(microsecond=0)
    meta: dict[str, object] = {
        "title": title,
        "date": now.isoformat(),
        "tags": list(tags),
        "draft": True,
    }
    if slug:
        meta["slug"] = slug
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\n{header}---\n\n# {title}\n\nWrite here. Remove `draft: true` to publish.\n",
        encoding="utf-8",
    )
    click.echo(str(path))


@main.command()
@click.option("--retry", is_flag=True, help="Put every failed delivery back in the queue.")
@_common
@_friendly
def outbox(
    retry: bool,
    config_path: Path | None,
    content_dir: Path | None,
    db_path: Path | None,
    verbose: bool,
) -> None:
    """Show pending, sent and failed pushes and the last errors; --retry requeues failures."""
    config = _config(config_path, content_dir, db_path, verbose, quiet=True)
    asyncio.run(_outbox(config, retry=retry))


async def _outbox(config: Config, *, retry: bool) -> None:
    async with open_app(config) as app:
        box = app.store.outbox
        if retry:
            click.echo(f"requeued {await box.retry_failed()} failed delivery(ies)")
        stats = await box.stats()
        click.echo("  ".join(f"{state} {count}" for state, count in stats.counts.items()))
        for entry_id, platform, chat_id, error in stats.last_errors:
            click.echo(f"  #{entry_id} {platform}:{chat_id}: {error}")


@main.command()
@click.option("--from", "source", required=True, help="The SQLite store: sqlite:///herald.db.")
@click.option("--to", "target", required=True, help="An empty database: postgresql://…")
@click.option("-v", "--verbose", is_flag=True, help="Log more (to stderr).")
@_friendly
def migrate(source: str, target: str, verbose: bool) -> None:
    """Copy a SQLite store (posts, subscriptions, outbox, everything) into PostgreSQL."""
    from urllib.parse import urlsplit

    from herald.store.copy import copy_store

    password = urlsplit(target).password if "://" in target else None
    setup_logging(logging.DEBUG if verbose else logging.WARNING, [password] if password else [])
    copied = asyncio.run(copy_store(source, target))
    click.echo("copied " + ", ".join(f"{count} {table}" for table, count in copied.items()))


def _slugify(title: str) -> str:
    """Keep letters of any script (Chinese titles make Chinese file names), hyphen the rest."""
    words = re.findall(r"\w+", title.casefold())
    return "-".join(words)[:80].strip("-_")


if __name__ == "__main__":
    main()
