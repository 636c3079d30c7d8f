"""Fixtures for the browser tests: the shipped content, built and served, and Chromium.

Uses pytest-playwright with its launch arguments overridden, so the tests drive Debian's
Chromium (`/usr/bin/chromium`, or `$CITEHUB_CHROMIUM`) and never need `playwright install`.
Each test gets a fresh context and a `page` that records console errors, uncaught page
errors and dialogs; any of them fails the test.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Error, Page

from tests.browser.harness import built_site, launch_options


@dataclass
class PageProblems:
    """Console errors, uncaught page errors and dialogs seen on one page."""

    problems: list[str] = field(default_factory=list)
    reported: int = 0

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("dialog", self._on_dialog)

    def _on_console(self, message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        if message.type == "error":
            self.problems.append(f"console error ({where or 'inline script'}): {message.text}")

    def _on_page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught page error: {error.message}")

    def _on_dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"{dialog.type} dialog opened on {dialog.page and dialog.page.url}: "
                             f"{dialog.message!r}")
        dialog.dismiss()

    def unreported(self) -> list[str]:
        new = self.problems[self.reported:]
        self.reported = len(self.problems)
        return new

    def assert_clean(self) -> None:
        new = self.unreported()
        assert not new, "the page logged errors or opened dialogs:\n" + "\n".join(new)


_PROBLEMS = pytest.StashKey[PageProblems]()


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The shipped content built into a temporary folder and served on 127.0.0.1."""
    with built_site() as url:
        yield url


@pytest.fixture(scope="session")
def base_url(site_url: str) -> str:
    """pytest-base-url's fixture: relative `page.goto()` / `page.request` URLs hit the site."""
    return site_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    try:
        options = launch_options()
    except FileNotFoundError as error:
        pytest.fail(str(error), pytrace=False)
    return {**browser_type_launch_args, **options}


@pytest.fixture
def page(page: Page, request: pytest.FixtureRequest) -> Iterator[Page]:
    """pytest-playwright's page (fresh context per test), watched for errors and dialogs."""
    problems = PageProblems()
    problems.watch(page)
    request.node.stash[_PROBLEMS] = problems
    yield page
    problems.assert_clean()  # anything that arrived after the test body finished


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a passing test whose page logged a console error or opened a dialog."""
    problems = item.stash.get(_PROBLEMS, None)
    try:
        result = yield
    except BaseException:
        if problems is not None and problems.problems:
            item.add_report_section("call", "browser problems", "\n".join(problems.unreported()))
        raise
    if problems is not None:
        problems.assert_clean()
    return result
