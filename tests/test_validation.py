"""Every validation rule, through the real CLI: exact `path:line: message` lines, exit 1,
nothing written.

Each case shows its whole input inline (see `sitefiles.write_site`). Tests run in
`tmp_path` so the printed paths are relative, e.g. `content/papers/a.md`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.cli import main
from tests.sitefiles import parse_spec, write_site

DANGLING = "(a cited paper needs a record; a stub with id and title is enough)"
ROLES = "(expected background, method, result)"
POLARITIES = "(expected supportive, neutral, critical)"
TABS = "(YAML indentation must use spaces, not tabs)"
ALIAS = "YAML aliases (*name) are not supported"

# A stub that citing records in the cases below may point at.
STUB_B = """
    -- content/papers/b.md --
    ---
    title: B
    ---
"""


def footer(count: int) -> str:
    return f"{count} problem(s) found; nothing was written"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `citehub ARGV` in-process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_problems(capsys: pytest.CaptureFixture[str], command: str, expected: list[str]) -> None:
    """`command` fails with exactly `expected` (in this order), the footer, and no output."""
    argv = [command, "--content", "content"]
    if command == "build":
        argv += ["--output", "site"]
    code, out, err = run(capsys, *argv)
    assert err.splitlines() == [*expected, footer(len(expected))]
    assert code == 1
    assert out == ""
    assert not Path("site").exists()
    assert not Path(".site.staging").exists()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (dot-files such as the marker included)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


CASES = [
    # --- YAML that does not parse -------------------------------------------------------
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        authors: [Ann, Bob
        year: 2020
        ---
        """,
        [
            "content/papers/a.md:4: invalid YAML: did not find expected ',' or ']' "
            "(in the '[' list opened on line 3)"
        ],
        id="yaml-unclosed-bracket",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: "A
        year: 2020
        ---
        """,
        [
            "content/papers/a.md:3: invalid YAML: found unexpected end of stream "
            "(in the quoted text opened on line 2)"
        ],
        id="yaml-unclosed-quote",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
          year: 2020
        ---
        """,
        ["content/papers/a.md:3: invalid YAML: mapping values are not allowed in this context"],
        id="yaml-bad-indentation",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        year: 2020
        """,
        ["content/papers/a.md:1: front matter opened with '---' here is never closed by '---'"],
        id="front-matter-never-closed",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        title: A
        year: 2020
        """,
        ["content/papers/a.md:1: expected front matter: the file must start with a '---' line"],
        id="no-front-matter",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        ---
        The abstract only.
        """,
        ["content/papers/a.md:1: front matter is empty: a record needs at least a 'title'"],
        id="empty-front-matter",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
        \t- paper: b
        ---
        """
        + STUB_B,
        [
            "content/papers/a.md:4: invalid YAML: found character that cannot start any token "
            + TABS
        ],
        id="tab-indentation",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        authors:
          - Ann
        \t- Bob
        ---
        """,
        [
            "content/papers/a.md:5: invalid YAML: found a tab character that violates "
            f"indentation {TABS}"
        ],
        id="tab-indentation-in-list",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        year: 2020
        title: B
        ---
        """,
        ["content/papers/a.md:4: duplicate key 'title' (first given on line 2)"],
        id="duplicate-key",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        ? [a, b]
        : c
        ---
        """,
        ["content/papers/a.md:3: a key must be plain text"],
        id="key-not-text",
    ),
    # --- fields of the wrong type ----------------------------------------------------------
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        year: "soon"
        ---
        """,
        ["content/papers/a.md:3: 'year' must be a four-digit year, found 'soon'"],
        id="year-text",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        year: 20245
        ---
        """,
        ["content/papers/a.md:3: 'year' must be a four-digit year, found the number 20245"],
        id="year-five-digits",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        year: 2024.5
        ---
        """,
        ["content/papers/a.md:3: 'year' must be a four-digit year, found the number 2024.5"],
        id="year-float",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        date: 17 June 2024
        ---
        """,
        ["content/papers/a.md:3: 'date' must look like 2024-06-17, found '17 June 2024'"],
        id="date-format",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        date: 2024-02-30
        ---
        """,
        ["content/papers/a.md:3: 'date' is not a calendar date: 2024-02-30"],
        id="date-not-in-calendar",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        authors: 5
        ---
        """,
        ["content/papers/a.md:3: 'authors' must be a list, found the number 5"],
        id="authors-number",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        topics: x
        ---
        """,
        ["content/papers/a.md:3: 'topics' must be a list, found 'x'"],
        id="topics-not-list",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites: b
        ---
        """
        + STUB_B,
        ["content/papers/a.md:3: 'cites' must be a list, found 'b'"],
        id="cites-not-list",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        extra: [1, 2]
        ---
        """,
        ["content/papers/a.md:3: 'extra' must be a mapping, found a list"],
        id="extra-not-mapping",
    ),
    # --- title ---------------------------------------------------------------------------
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        year: 2020
        ---
        """,
        ["content/papers/a.md:2: missing required field 'title'"],
        id="title-missing",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: ""
        ---
        """,
        ["content/papers/a.md:2: 'title' must not be empty"],
        id="title-empty-string",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title:
        year: 2020
        ---
        """,
        ["content/papers/a.md:2: 'title' must be text, found nothing"],
        id="title-left-blank",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: [A, B]
        ---
        """,
        ["content/papers/a.md:2: 'title' must be text, found a list"],
        id="title-list",
    ),
    # --- unknown fields --------------------------------------------------------------------
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        tdlr: One sentence.
        ---
        """,
        ["content/papers/a.md:3: unknown field 'tdlr' in record (did you mean 'tldr'?)"],
        id="unknown-field-typo",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        funding: ERC
        ---
        """,
        [
            "content/papers/a.md:3: unknown field 'funding' in record "
            "(free-form data goes under 'extra')"
        ],
        id="unknown-field-no-hint",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
            rol: background
        ---
        """
        + STUB_B,
        ["content/papers/a.md:5: unknown field 'rol' in a 'cites' entry (did you mean 'role'?)"],
        id="unknown-cites-field",
    ),
    # --- roles and polarities --------------------------------------------------------------
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
            role: backgound
        ---
        """
        + STUB_B,
        [f"content/papers/a.md:5: unknown role 'backgound' {ROLES}"],
        id="unknown-role",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
            role:
              - background
              - uses
        ---
        """
        + STUB_B,
        [f"content/papers/a.md:7: unknown role 'uses' {ROLES}"],
        id="role-list-with-one-unknown",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
            polarity: positive
        ---
        """
        + STUB_B,
        [f"content/papers/a.md:5: unknown polarity 'positive' {POLARITIES}"],
        id="unknown-polarity",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
            polarity: [supportive, critical]
        ---
        """
        + STUB_B,
        ["content/papers/a.md:5: 'polarity' takes one value, not a list"],
        id="polarity-list",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
            polarity: [supportive]
        ---
        """
        + STUB_B,
        ["content/papers/a.md:5: 'polarity' takes one value, not a list"],
        id="polarity-list-of-one",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        roles:
          - {key: uses, label: Uses}
          - {key: extends, label: Extends}
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - {paper: b, role: background}
        ---
        """
        + STUB_B,
        ["content/papers/a.md:4: unknown role 'background' (expected uses, extends)"],
        id="role-outside-site-taxonomy",
    ),
    # --- cites entries ---------------------------------------------------------------------
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: missing
        ---
        """,
        [f"content/papers/a.md:4: cites unknown paper 'missing' {DANGLING}"],
        id="dangling-citation",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites: [b, missing]
        ---
        """
        + STUB_B,
        [f"content/papers/a.md:3: cites unknown paper 'missing' {DANGLING}"],
        id="dangling-citation-shorthand",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
          - paper: a
        ---
        """
        + STUB_B,
        ["content/papers/a.md:5: 'a' cites itself"],
        id="self-citation",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - role: background
          - paper: ""
          -
        ---
        """,
        [
            "content/papers/a.md:4: a 'cites' entry needs 'paper' (the id of the cited paper)",
            "content/papers/a.md:5: 'paper' must not be empty",
            "content/papers/a.md:6: a 'cites' entry must be a mapping, found nothing",
        ],
        id="cites-entry-without-paper",
    ),
    pytest.param(
        # b is broken on its own; citing it must not add a second, misleading problem
        """
        -- content/papers/a.md --
        ---
        title: A
        cites:
          - paper: b
        ---
        -- content/papers/b.md --
        ---
        title: B
        year: soon
        ---
        """,
        ["content/papers/b.md:3: 'year' must be a four-digit year, found 'soon'"],
        id="cited-paper-with-own-problem-is-not-dangling",
    ),
    # --- ids and slugs ---------------------------------------------------------------------
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        ---
        -- content/papers/bulk.yaml --
        - id: b
          title: B
        - id: a
          title: Another A
        """,
        ["content/papers/bulk.yaml:3: duplicate id 'a' (also at content/papers/a.md:2)"],
        id="duplicate-id-md-and-bulk",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: A
        id: x
        ---
        -- content/papers/x.md --
        ---
        title: X
        ---
        """,
        ["content/papers/x.md:2: duplicate id 'x' (also at content/papers/a.md:3)"],
        id="duplicate-id-names-the-id-line",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: "a:b"
          title: One
        - id: a-b
          title: Two
        """,
        [
            "content/papers/bulk.yaml:3: id 'a-b' and id 'a:b' (content/papers/bulk.yaml:1) "
            "both map to the URL slug 'a-b'"
        ],
        id="slug-collision",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: ABC
          title: Upper
        - id: abc
          title: Lower
        """,
        [
            "content/papers/bulk.yaml:3: id 'abc' and id 'ABC' (content/papers/bulk.yaml:1) "
            "map to URL slugs that differ only in case ('ABC', 'abc')"
        ],
        id="slug-collision-case-only",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: "::"
          title: Colons
        """,
        ["content/papers/bulk.yaml:1: id '::' has no letters or digits for a URL"],
        id="id-without-usable-characters",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: a
          title: A
        - id: "..."
          title: Dots
        """,
        ["content/papers/bulk.yaml:3: id '...' has no letters or digits for a URL"],
        id="id-only-dots",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: ""
          title: Empty
        """,
        ["content/papers/bulk.yaml:1: 'id' must not be empty"],
        id="id-empty",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        id: ""
        title: Empty
        ---
        """,
        ["content/papers/a.md:2: 'id' must not be empty"],
        id="id-empty-in-markdown",
    ),
    # --- bulk files ------------------------------------------------------------------------
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        id: a
        title: A
        """,
        ["content/papers/bulk.yaml:1: a bulk file must be a list of records, found a mapping"],
        id="bulk-not-a-list",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: a
          title: A
        - title: No id
        """,
        ["content/papers/bulk.yaml:3: a record in a bulk file needs an 'id'"],
        id="bulk-record-without-id",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: a
          title: A
        - just text
        """,
        ["content/papers/bulk.yaml:3: a record must be a mapping, found 'just text'"],
        id="bulk-record-not-mapping",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: a
          title: A
        ---
        - id: b
          title: B
        """,
        ["content/papers/bulk.yaml:3: invalid YAML: but found another document"],
        id="bulk-two-documents",
    ),
    # --- unsafe YAML ---------------------------------------------------------------------
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: a
          title: !!python/object/apply:os.system ["echo owned"]
        """,
        [
            "content/papers/bulk.yaml:2: unsupported YAML tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'"
        ],
        id="python-object-tag",
    ),
    pytest.param(
        """
        -- content/papers/a.md --
        ---
        title: !!python/object:builtins.dict {}
        ---
        """,
        [
            "content/papers/a.md:2: unsupported YAML tag "
            "'tag:yaml.org,2002:python/object:builtins.dict'"
        ],
        id="python-object-tag-in-markdown",
    ),
    pytest.param(
        """
        -- content/papers/bulk.yaml --
        - id: a
          title: &t A
        - id: b
          title: *t
        """,
        [f"content/papers/bulk.yaml:4: {ALIAS}"],
        id="alias-reported-where-used",
    ),
    # --- site.yaml -----------------------------------------------------------------------
    pytest.param(
        """
        -- content/site.yaml --
        title: T
        themes: default
        hub:
          min_citation: 2
        """,
        [
            "content/site.yaml:2: unknown key 'themes' in site.yaml (did you mean 'theme'?)",
            "content/site.yaml:4: unknown key 'min_citation' in hub "
            "(did you mean 'min_citations'?)",
        ],
        id="site-unknown-keys",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        hub:
          dominant_share: 1.5
        """,
        ["content/site.yaml:2: expected a share between 0 and 1, found the number 1.5"],
        id="site-dominant-share-above-one",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        hub:
          min_citations: 0
        """,
        ["content/site.yaml:2: expected a whole number of at least 1, found 0"],
        id="site-min-citations-zero",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        explorer:
          page_size: many
        """,
        ["content/site.yaml:2: expected a whole number, found 'many'"],
        id="site-page-size-text",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        roles: background
        """,
        ["content/site.yaml:1: roles must be a non-empty list of {key, label, description}"],
        id="site-roles-not-list",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        roles:
          - {key: background, label: Background}
          - {key: uses, label: Uses}
          - {key: background, label: Again}
        """,
        ["content/site.yaml:4: duplicate key 'background' in roles"],
        id="site-duplicate-role-key",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        polarities:
          - {label: Supportive}
        """,
        ["content/site.yaml:2: an entry of polarities needs a 'key'"],
        id="site-polarity-without-key",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        base_url: example.org
        """,
        ["content/site.yaml:1: base_url must start with '/' or 'https://', found 'example.org'"],
        id="site-base-url",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        title: [Hubs
        """,
        [
            "content/site.yaml:2: invalid YAML: did not find expected ',' or ']' "
            "(in the '[' list opened on line 1)"
        ],
        id="site-malformed-yaml",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        hub:
        \tmin_citations: 2
        """,
        [f"content/site.yaml:2: invalid YAML: found character that cannot start any token {TABS}"],
        id="site-tab-indentation",
    ),
    # --- many problems at once -------------------------------------------------------------
    pytest.param(
        """
        -- content/site.yaml --
        theme: default
        tittle: Hubs
        -- content/papers/a.md --
        ---
        title: A
        year: 99
        ---
        -- content/papers/b.md --
        ---
        title: B
        tdlr: x
        ---
        -- content/papers/bulk.yaml --
        - id: c
          title: C
        - title: No id
        """,
        [
            "content/papers/a.md:3: 'year' must be a four-digit year, found the number 99",
            "content/papers/b.md:3: unknown field 'tdlr' in record (did you mean 'tldr'?)",
            "content/papers/bulk.yaml:3: a record in a bulk file needs an 'id'",
            "content/site.yaml:2: unknown key 'tittle' in site.yaml (did you mean 'title'?)",
        ],
        id="one-problem-in-each-of-several-files",
    ),
    pytest.param(
        # a record's own problem must not hide the collection-wide checks on it
        """
        -- content/papers/a.md --
        ---
        title: A
        year: soon
        cites:
          - paper: missing
        ---
        -- content/papers/bulk.yaml --
        - id: a
          title: A again
        """,
        [
            "content/papers/a.md:3: 'year' must be a four-digit year, found 'soon'",
            f"content/papers/a.md:5: cites unknown paper 'missing' {DANGLING}",
            "content/papers/bulk.yaml:1: duplicate id 'a' (also at content/papers/a.md:2)",
        ],
        id="record-with-own-problem-still-gets-collection-checks",
    ),
    pytest.param(
        """
        -- content/site.yaml --
        hub:
          dominant_share: 0
        -- content/papers/a.md --
        ---
        title: A
        year: soon
        tdlr: x
        cites:
          - paper: b
            role: uses
            polarity: positive
          - paper: nowhere
        ---
        -- content/papers/b.md --
        ---
        title:
        ---
        -- content/papers/c.md --
        ---
        title: C
        cites:
          - paper: d
          - paper: d
            role: method
          - paper: d
            polarity: neutral
          - paper: ghost
          - paper: d
            role: usage
        ---
        -- content/papers/d.md --
        ---
        title: D
        ---
        -- content/papers/z.yaml --
        - id: c
          title: Duplicate of c
        """,
        [
            "content/papers/a.md:3: 'year' must be a four-digit year, found 'soon'",
            "content/papers/a.md:4: unknown field 'tdlr' in record (did you mean 'tldr'?)",
            f"content/papers/a.md:7: unknown role 'uses' {ROLES}",
            f"content/papers/a.md:8: unknown polarity 'positive' {POLARITIES}",
            f"content/papers/a.md:9: cites unknown paper 'nowhere' {DANGLING}",
            "content/papers/b.md:2: 'title' must be text, found nothing",
            f"content/papers/c.md:9: cites unknown paper 'ghost' {DANGLING}",
            f"content/papers/c.md:11: unknown role 'usage' {ROLES}",
            "content/papers/z.yaml:1: duplicate id 'c' (also at content/papers/c.md:2)",
            "content/site.yaml:2: expected a share between 0 and 1, found the number 0",
        ],
        id="many-problems-in-many-files",
    ),
]


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize(("spec", "expected"), CASES)
def test_every_problem_is_reported_and_nothing_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    spec: str,
    expected: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, spec)
    assert_problems(capsys, command, expected)


def test_billion_laughs_fails_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(
        tmp_path,
        """
        -- content/papers/lol.yaml --
        - id: lol
          title: Billion laughs
          extra:
            l0: &l0 "lol"
            l1: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]
            l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]
            l3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]
            l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]
            l5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]
            l6: &l6 [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]
            l7: &l7 [*l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6]
            l8: &l8 [*l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7]
            l9: &l9 [*l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8]
        """,
    )
    started = time.perf_counter()
    assert_problems(
        capsys, "build", [f"content/papers/lol.yaml:{n}: {ALIAS}" for n in range(5, 14)]
    )
    assert time.perf_counter() - started < 0.5


def test_file_that_is_not_utf8_names_the_line_of_the_bad_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(tmp_path, STUB_B)
    (tmp_path / "content/papers/a.md").write_bytes(b"---\ntitle: A\ntldr: caf\xe9\n---\n")
    (tmp_path / "content/site.yaml").write_bytes(b"title: Hubs\n\ndescription: \xff\n")
    assert_problems(
        capsys,
        "build",
        [
            "content/papers/a.md:3: not valid UTF-8 (byte 0xe9)",
            "content/site.yaml:3: not valid UTF-8 (byte 0xff)",
        ],
    )


def test_bom_and_crlf_line_ends_build_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    papers = tmp_path / "content/papers"
    papers.mkdir(parents=True)
    bom = b"\xef\xbb\xbf"
    (papers / "a.md").write_bytes(
        bom + b"---\r\ntitle: Paper A\r\ncites:\r\n  - paper: b\r\n---\r\nThe abstract.\r\n"
    )
    (papers / "bulk.yaml").write_bytes(bom + b"- id: b\r\n  title: Paper B\r\n")
    (tmp_path / "content/site.yaml").write_bytes(bom + b"title: Hubs\r\n")
    code, _, err = run(capsys, "build", "--content", "content", "--output", "site")
    assert (code, err) == (0, "")
    assert "Paper A" in (tmp_path / "site/papers/a/index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site/papers/b/index.html").is_file()


def test_bom_and_crlf_keep_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    papers = tmp_path / "content/papers"
    papers.mkdir(parents=True)
    (papers / "a.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: A\r\n\r\nyear: soon\r\n---\r\n")
    assert_problems(
        capsys, "check", ["content/papers/a.md:4: 'year' must be a four-digit year, found 'soon'"]
    )


def test_failed_build_leaves_previous_site_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(
        tmp_path,
        """
        -- content/papers/a.md --
        ---
        title: A
        cites: [b]
        ---
        -- content/papers/b.md --
        ---
        title: B
        ---
        """,
    )
    code, _, err = run(capsys, "build", "--content", "content", "--output", "site")
    assert (code, err) == (0, "")
    before = snapshot(tmp_path / "site")
    cache_before = snapshot(tmp_path / ".citehub-cache")
    assert "papers/a/index.html" in before

    write_site(
        tmp_path,
        """
        -- content/papers/c.md --
        ---
        title: C
        cites: [missing]
        ---
        """,
    )
    code, out, err = run(capsys, "build", "--content", "content", "--output", "site")
    assert err.splitlines() == [
        f"content/papers/c.md:3: cites unknown paper 'missing' {DANGLING}",
        footer(1),
    ]
    assert (code, out) == (1, "")
    assert snapshot(tmp_path / "site") == before
    # Beside the site only its build cache (made by the good build, untouched since).
    assert sorted(p.name for p in tmp_path.iterdir()) == [".citehub-cache", "content", "site"]
    assert snapshot(tmp_path / ".citehub-cache") == cache_before


def test_build_refuses_a_foreign_non_empty_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(
        tmp_path,
        """
        -- content/papers/a.md --
        ---
        title: A
        ---
        -- mine/notes.txt --
        Not a site: must survive.
        -- mine/sub/data.csv --
        1,2
        """,
    )
    before = snapshot(tmp_path / "mine")
    code, out, err = run(capsys, "build", "--content", "content", "--output", "mine")
    folder = (tmp_path / "mine").resolve()
    assert err == (
        f"error: {folder} is not empty and was not made by citehub; refusing to replace it "
        "(empty it or pick another --output)\n"
    )
    assert (code, out) == (1, "")
    assert snapshot(tmp_path / "mine") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mine"]


@pytest.mark.parametrize(
    ("paper_id", "created"),
    [
        pytest.param("smith2024probing", "smith2024probing.md", id="plain"),
        pytest.param("2406.11717", "2406.11717.md", id="arxiv-number"),
        pytest.param("ext:3f2a", "ext-3f2a.md", id="colon-mapped"),
    ],
)
def test_new_creates_a_record_that_passes_check(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    paper_id: str,
    created: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "new", paper_id)
    assert (code, out, err) == (0, f"created content/papers/{created}\n", "")
    text = (tmp_path / "content/papers" / created).read_text(encoding="utf-8")
    assert text.startswith(f'---\nid: "{paper_id}"\n')
    code, out, err = run(capsys, "check", "--content", "content")
    assert (code, out, err) == (0, "ok: 1 papers, 0 hubs, no problems\n", "")


def test_new_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_site(
        tmp_path,
        """
        -- content/papers/smith2024.md --
        ---
        title: Hand-written, keep me
        ---
        """,
    )
    before = snapshot(tmp_path / "content")
    code, out, err = run(capsys, "new", "smith2024")
    assert err == "error: content/papers/smith2024.md already exists; not overwriting it\n"
    assert (code, out) == (1, "")
    assert snapshot(tmp_path / "content") == before


@pytest.mark.parametrize("paper_id", ["::", "+++", "//", "..."])
def test_new_rejects_an_id_without_letters_or_digits(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    paper_id: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "new", paper_id)
    assert err == f"error: id {paper_id!r} has no letters or digits to name a file\n"
    assert (code, out) == (1, "")
    assert list(tmp_path.iterdir()) == []


def test_write_site_writes_each_file_verbatim(tmp_path: Path) -> None:
    spec = """
        -- content/papers/a.md --
        ---
        title: A
        ---

        Abstract, after a blank line.

        -- content/site.yaml --
        hub:
        \tmin_citations: 2
    """
    assert parse_spec(spec) == {
        "content/papers/a.md": "---\ntitle: A\n---\n\nAbstract, after a blank line.\n",
        "content/site.yaml": "hub:\n\tmin_citations: 2\n",
    }
    assert write_site(tmp_path, spec) == tmp_path / "content"
    assert (tmp_path / "content/site.yaml").read_bytes() == b"hub:\n\tmin_citations: 2\n"
    with pytest.raises(ValueError, match="inside the site"):
        write_site(tmp_path, "-- ../escape.md --\nx\n")
