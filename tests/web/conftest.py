"""The running reader, shared by the HTTP and the browser tests (one per session)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.web.browser import artifacts_dir, browser, chromium_path, new_page, screenshot
from tests.web.site import Reader, running_reader

__all__ = ["artifacts_dir", "browser", "chromium_path", "new_page", "screenshot"]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def reader(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Reader]:
    async with running_reader(tmp_path_factory.mktemp("reader")) as running:
        yield running
