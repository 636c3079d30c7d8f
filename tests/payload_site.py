"""A site with a hostile payload in every field that reaches a page, and its clean twin.

`write_payload_site(root, hostile=True)` writes the payload site; `hostile=False` writes
the same site (same papers, citations, labels, pages) with plain text in every field,
so the elements and attributes of its pages are exactly those the theme writes. Both
the static checks (`tests/test_injection.py`) and the browser test
(`tests/browser/test_injection_browser.py`) build these two.
"""

from __future__ import annotations

import json
from pathlib import Path

# Markup, script-ending, comment-opening and template-looking text: it must show as text.
TEXT = ('<script>alert("x")</script>"><img src=x onerror=alert(1)>'
        "'><svg onload=alert(1)></title></textarea></script><!-- {{7*191}} &lt;b&gt;")
BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "evil\u202egnp.exe" shows as "evilexe.png"
CONTROL = "\x0b"  # a vertical tab, as PDF extraction leaves them: invalid in HTML and XML

# Values for url/pdf/doi/arxiv: none may become a link a browser would run.
URL_PAYLOADS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    '" onmouseover="alert(1)',
    'https://ok.example/" onmouseover="alert(1)',
)

# Raw HTML, unsafe link schemes (plain, mixed case, entity-encoded, reference-style,
# autolinks) and an image from a data: URL, in markdown.
MARKDOWN = """\
<script>alert(1)</script>

<img src=x onerror=alert(1)>

<a href="javascript:alert(1)" onclick="alert(1)">raw link</a>

<div onmouseover="alert(1)"><iframe src="https://evil.example/"></iframe></div>

<style>body { display: none }</style><!-- a comment --><svg><script>alert(1)</script></svg>

[plain](javascript:alert(1)) [mixed](JaVaScRiPt:alert(1)) [entity](&#106;avascript:alert(1))
[spaced]( javascript:alert(1)) [tabbed](java&#x09;script:alert(1)) [vb](vbscript:msgbox(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [reference][evil]

![image](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![image2](javascript:alert(1))

<javascript:alert(1)> <data:text/html,alert(1)> <vbscript:msgbox(1)> <JAVASCRIPT:alert(1)>

Safe links stay: <https://example.org/auto>, [web](https://example.org/web) and
<mailto:editor@example.org>.

[evil]: javascript:alert(1)
"""

PLAIN_MARKDOWN = """\
A plain abstract with a [web link](https://example.org/web), an autolink
<https://example.org/auto> and <mailto:editor@example.org>.
"""

PAPERS = 11  # one per URL payload
HOSTILE_IDS = ('"><img src=x onerror=alert(1)>', "<script>alert(1)</script>",
               "javascript:alert(1)", "x onmouseover=alert(1)")


def yaml_text(value: str) -> str:
    """`value` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def paper_id(index: int, hostile: bool) -> str:
    if hostile and index < len(HOSTILE_IDS):
        return HOSTILE_IDS[index]
    return f"paper-{index}"


def title(index: int, hostile: bool) -> str:
    """The title as written in the record."""
    return f"Title {index} {BIDI}{TEXT}{CONTROL}" if hostile else f"Title {index}"


def shown_title(index: int, hostile: bool) -> str:
    """The title as pages, JSON and the feed must show it: text kept, bidi and controls gone."""
    return f"Title {index} {TEXT}" if hostile else f"Title {index}"


def field(name: str, index: int, hostile: bool) -> str:
    return f"{name} {index} {TEXT}" if hostile else f"{name} {index}"


def tldr(index: int, hostile: bool) -> str:
    return f"TLDR {index} </script><!-- <script> {TEXT}" if hostile else f"TLDR {index}"


def context(index: int, hostile: bool) -> str:
    return field("Context", index, hostile)


def author(index: int, hostile: bool) -> str:
    return field("Author", index, hostile)


def record(index: int, hostile: bool) -> str:
    """One paper file: paper 0 is a hub cited by all others; paper 1 is cited by paper 2."""
    lines = [
        "---",
        f"id: {yaml_text(paper_id(index, hostile))}",
        f"title: {yaml_text(title(index, hostile))}",
        f"authors: [{yaml_text(author(index, hostile))}, \"Plain Author\"]",
        f"year: {2000 + index}",
        f"venue: {yaml_text(field('Venue', index, hostile))}",
        f"tldr: {yaml_text(tldr(index, hostile))}",
        f"topics: [{yaml_text(field('Topic', 0, hostile))}, "
        f"{yaml_text(field('Topic', index % 2 + 1, hostile))}]",
    ]
    if hostile:
        payload = URL_PAYLOADS[index % len(URL_PAYLOADS)]
        lines += [
            f"url: {yaml_text(payload)}",
            f"pdf: {yaml_text(URL_PAYLOADS[(index + 1) % len(URL_PAYLOADS)])}",
            f"doi: {yaml_text(payload)}",
            f"arxiv: {yaml_text(payload)}",
        ]
    else:
        lines += [
            f"url: https://example.org/{index}",
            f"pdf: https://example.org/{index}.pdf",
            f"doi: 10.1000/{index}",
            f"arxiv: 2401.{index:05d}",
        ]
    targets = [0] if index > 0 else []
    if index == 2:
        targets.append(1)
    if targets:
        lines.append("cites:")
    roles = ("background", "method", "result")
    polarities = ("supportive", "neutral", "critical")
    for target in targets:
        lines += [
            f"  - paper: {yaml_text(paper_id(target, hostile))}",
            f"    role: {roles[index % 3]}",
            f"    polarity: {polarities[index % 3]}",
            f"    contexts: [{yaml_text(context(index, hostile))}]",
        ]
    lines += ["---", MARKDOWN if hostile else PLAIN_MARKDOWN]
    return "\n".join(lines)


def site_title(hostile: bool) -> str:
    """The site title as written in site.yaml (`shown_site_title`: as pages must show it)."""
    return f"Site {BIDI}{TEXT}" if hostile else "Site"


def shown_site_title(hostile: bool) -> str:
    return f"Site {TEXT}" if hostile else "Site"


def label(name: str, hostile: bool) -> str:
    """A role or polarity label or description as written (and shown)."""
    return f"{name} {TEXT}" if hostile else name


def site_yaml(hostile: bool) -> str:
    """The config: payloads in the title, description and every label and description.

    Control characters are left out here: `test_injection` gives them their own case.
    """
    def text(name: str) -> str:
        return yaml_text(label(name, hostile))

    return "\n".join([
        f"title: {yaml_text(site_title(hostile))}",
        f"description: {text('Description')}",
        "hub: {min_citations: 2, representative: 4}",
        "explorer: {page_size: 3}",
        "listing: {page_size: 3}",
        "roles:",
        *(f"  - {{key: {key}, label: {text(key.title())}, description: {text('About')}}}"
          for key in ("background", "method", "result")),
        "polarities:",
        *(f"  - {{key: {key}, label: {text(key.title())}, description: {text('About')}}}"
          for key in ("supportive", "neutral", "critical")),
        "",
    ])


def page_title(hostile: bool) -> str:
    return f"Page {BIDI}{TEXT}{CONTROL}" if hostile else "Page"


def shown_page_title(hostile: bool) -> str:
    return f"Page {TEXT}" if hostile else "Page"


def page(hostile: bool) -> str:
    body = MARKDOWN if hostile else PLAIN_MARKDOWN
    return f"---\ntitle: {yaml_text(page_title(hostile))}\n---\n{body}"


def write_payload_site(root: Path, hostile: bool = True) -> Path:
    """Write the site under `root`; returns its content folder."""
    content = root / "content"
    papers = content / "papers"
    papers.mkdir(parents=True)
    (content / "site.yaml").write_text(site_yaml(hostile), encoding="utf-8")
    (content / "home.md").write_text(MARKDOWN if hostile else PLAIN_MARKDOWN, encoding="utf-8")
    (content / "pages").mkdir()
    (content / "pages" / "notes.md").write_text(page(hostile), encoding="utf-8")
    for index in range(PAPERS):
        (papers / f"p{index:02d}.md").write_text(record(index, hostile), encoding="utf-8")
    return content
