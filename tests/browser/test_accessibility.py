"""axe-core on the shipped site, in Chromium: zero violations on the hub, home, summary, topic
and about pages, with the explorer in use, and in the dark colour scheme.

axe-core comes from npm: `node_modules/axe-core/axe.min.js` under the repository (git-ignored).
When it is missing the test installs it once with `npm install --no-save axe-core@4`.
axe needs JavaScript, so it runs in a JavaScript-enabled context, with a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any, Literal

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import HUB_PATH, REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
    const limit = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('axe-core ran for more than 60 s')), 60000));
    const results = await Promise.race([axe.run(document, {resultTypes: ['violations']}), limit]);
    return results.violations.map(violation => ({
        id: violation.id, impact: violation.impact, help: violation.help,
        nodes: violation.nodes.map(node => node.target.join(' ') + ': ' + node.failureSummary),
    }));
}"""
PAGES = {
    "hub": HUB_PATH,
    "hub-explorer-filtered": f"{HUB_PATH}?role=background&polarity=neutral&q=refusal#explorer",
    "home": "",
    "role-summary": "roles/background/",
    "polarity-summary": "polarity/critical/",
    "topic": "topics/refusal/",
    "about": "about/",
    "search": "search/?q=model",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("axe-core is missing and there is no npm to install it: "
                        "run `npm install --no-save axe-core@4` in the repository", pytrace=False)
        subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund",
                        "--prefix", str(REPO), "axe-core@4"],
                       check=True, timeout=300, capture_output=True)
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe_source)
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return found


def describe(found: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
                     for v in found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(page: Page, axe_source: str, name: str,
                           scheme: Literal["light", "dark"]) -> None:
    page.emulate_media(color_scheme=scheme)
    response = page.goto(PAGES[name])
    assert response is not None and response.status == 200
    if name.startswith("hub"):  # the explorer's controls are on the page once its data is in
        expect(page.locator("#explorer-controls")).to_be_visible()
    if name == "hub-explorer-filtered":
        expect(page.locator("#explorer-results > li").first).to_be_visible()
        for summary in page.locator("#explorer-results details summary").all()[:3]:
            summary.click()  # citation sentences open, where the data has any
    if name == "search":  # with its results and the "More results" button shown
        expect(page.locator("#search-more")).to_be_visible()
    found = violations(page, axe_source)
    assert not found, f"axe-core violations on /{PAGES[name]} ({scheme}):\n{describe(found)}"
