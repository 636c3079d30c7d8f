"""generator/assets.py: the build strips comments, indentation and blank lines from the
theme's CSS and JavaScript, and leaves alone whatever it cannot read with certainty."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import assets
from generator.assets import strip_css, strip_js

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "themes" / "default" / "static"


# ------------------------------------------------------------------ JavaScript


def test_js_comments_indentation_and_blank_lines_go() -> None:
    source = (
        "/* header\n   comment */\n"
        "(() => {\n"
        "  'use strict';  // trailing\n"
        "\n"
        "    const a = 1; /* inline */ const b = 2;\n"
        "  // a whole line\n"
        "  return a/**/+b;\n"
        "})();\n"
    )
    assert strip_js(source) == (  # spaces inside a line stay as written
        "(() => {\n'use strict';\nconst a = 1;   const b = 2;\nreturn a +b;\n})();\n")


def test_js_strings_and_regexes_are_copied_verbatim() -> None:
    source = (
        "const s = '  // not a comment /* nor this */';\n"
        'const d = "it\'s \\" /* still */ text";\n'
        "const r = /\\/\\/[/*]+/g.test(s);\n"
        "x = y.replace(/[\\\\{}]/g, (c) => '\\\\' + c);\n"
        "if (!/^\\/(?![/\\\\])/.test(u)) return;\n"
        "const half = width / 2 / 1; // division\n"
        "const q = a[0] / b.return / c;\n"
    )
    assert strip_js(source) == source.replace(" // division", "")


def test_js_block_comment_with_a_line_break_stays_a_line_break() -> None:
    # `return /*\n*/ x` returns undefined (ASI): the comment must not join the lines.
    assert strip_js("return /*\n*/ x\n") == "return\nx\n"


def test_js_line_continuation_inside_a_string_is_kept() -> None:
    source = "const s = 'a\\\n    b';\n"
    assert strip_js(source) == source


@pytest.mark.parametrize("source", [
    "const s = `template ${x}`;\n",  # template literal
    "if (a) /re/.test(b);\n",  # after `)`: regex or division?
    "x = {} / 2;\n",  # after `}`
    "a++ / 2;\n",
    "for (const x of /re/.exec(s)) f(x);\n",  # `of` may be a name
    "x = 1;\n<!-- html comment\n",
    "x = y-->0;\n",
    "x = 1;\r\ny = 2;\n",
    "const s = 'unterminated;\n",
    "const r = /unterminated;\n",
    "/* unterminated comment\n",
    "x = 1;\u2028y = 2;\n",
    "#!/usr/bin/env node\nx = 1;\n",
])
def test_js_it_cannot_classify_is_left_alone(source: str) -> None:
    assert strip_js(source) is None


def test_js_backquote_in_a_comment_or_string_is_fine() -> None:
    assert strip_js("// uses `url`\nx = '`';\n") == "x = '`';\n"


# ------------------------------------------------------------------ CSS


def test_css_comments_indentation_and_blank_lines_go() -> None:
    source = (
        "/* theme */\n"
        ":root {\n"
        "  --a: #fff; /* white */\n"
        "\n"
        "}\n"
        "@media (x) {\n"
        "  a { content: \"/* not a comment */\"; background: url(data:a//b); }\n"
        "}\n"
    )
    assert strip_css(source) == (
        ":root {\n--a: #fff;\n}\n@media (x) {\n"
        "a { content: \"/* not a comment */\"; background: url(data:a//b); }\n}\n")


def test_css_comment_between_two_tokens_is_kept() -> None:
    # `.a/**/.b` is `.a.b`: dropping the comment is fine there, but `a/**/b` would become
    # `ab` and a space would make `.a .b`; the stripper keeps such comments.
    assert strip_css("  .a/**/.b { x: y }\n") == ".a/**/.b { x: y }\n"


@pytest.mark.parametrize("source", [
    ".a\\31 0 { x: y }\n",  # an escape eats the whitespace after it
    "a { content: 'unterminated }\n",
    "/* unterminated\n",
    "a { background: url(x\n",
    "a { x: y }\r\n",
])
def test_css_it_cannot_classify_is_left_alone(source: str) -> None:
    assert strip_css(source) is None


# ------------------------------------------------------------------ properties


INDENT = st.sampled_from(["", "  ", "    ", "\t"])
JS_TOKENS = st.sampled_from([
    "a", "b1", "$x", "return", "typeof", "=", "(", ")", "{", "}", ";", "+", "*", "=>", ",",
    "'//'", "'/*'", '"*/"', "'it\\'s'", '"\\\\"', "1.5", "[0]",
    "(/a\\/b[/]/g)", "= /x*/", "x / 2", "y.return / 3",
])
JS_LINE = st.tuples(INDENT, st.lists(JS_TOKENS, min_size=1, max_size=6),
                    st.sampled_from(["", " // note /* x", " /* c */"]))
CSS_TOKENS = st.sampled_from([
    "a", ".b", "#c", "{", "}", ";", ":", "color", "red", "var(--x)", "'/* s */'", '"//"',
    "url(x.png)", "url('a b')", "1rem", ",", ">",
])
CSS_LINE = st.tuples(INDENT, st.lists(CSS_TOKENS, min_size=1, max_size=6),
                     st.sampled_from(["", " /* note */", " /* a\n   b */"]))


def build(lines: list[tuple[str, list[str], str]], blank: list[bool]) -> tuple[str, str]:
    """Source text and what stripping it must give."""
    source, expected = [], []
    gaps = (blank + [False] * len(lines))[:len(lines)]
    for (indent, tokens, comment), gap in zip(lines, gaps, strict=True):
        code = " ".join(tokens)
        source.append(indent + code + comment + "  \n")
        expected.append(code + "\n")
        if gap:
            source.append("   \n\n")
    return "".join(source), "".join(expected)


@given(st.lists(JS_LINE, min_size=1, max_size=12), st.lists(st.booleans(), max_size=12))
def test_js_strips_exactly_comments_and_layout(lines: list[tuple[str, list[str], str]],
                                                blank: list[bool]) -> None:
    source, expected = build(lines, blank)
    assert strip_js(source) == expected


@given(st.lists(CSS_LINE, min_size=1, max_size=12), st.lists(st.booleans(), max_size=12))
def test_css_strips_exactly_comments_and_layout(lines: list[tuple[str, list[str], str]],
                                                 blank: list[bool]) -> None:
    source, expected = build(lines, blank)
    assert strip_css(source) == expected


@given(st.text(alphabet=st.sampled_from(list(" \n\t/*'\"`\\abc(){}=;[]+-<>!\r")), max_size=80))
def test_stripping_is_idempotent_and_never_grows(text: str) -> None:
    for strip in (strip_js, strip_css):
        result = strip(text)
        if result is not None:
            assert len(result) <= len(text) + 1  # a final line break may be kept
            assert strip(result) == result


# ------------------------------------------------------------------ files


@pytest.mark.parametrize("name", ["citehub.css", "explorer.js", "cite.js"])
def test_the_themes_files_are_strippable_and_keep_their_comments(name: str) -> None:
    source = (STATIC / name).read_text(encoding="utf-8")
    assert "/*" in source or "//" in source  # the source stays readable, comments and all
    stripped = (strip_css if name.endswith(".css") else strip_js)(source)
    assert stripped is not None, f"{name} is no longer strippable: it would ship whole"
    assert len(stripped) < len(source)


def test_strip_tree_rewrites_only_css_and_js_it_can_read(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    files = {
        "a.css": b"/* c */\n  a { x: y }\n",
        "sub/b.js": b"  x = 1; // c\n",
        "c.js": b"x = `t`;\n",  # left alone
        "d.txt": b"  /* not css */\n",
        "e.css": b"\xff\xfe/* not utf-8 */\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    saved = assets.strip_tree(tmp_path)
    assert (tmp_path / "a.css").read_bytes() == b"a { x: y }\n"
    assert (tmp_path / "sub/b.js").read_bytes() == b"x = 1;\n"
    for name in ("c.js", "d.txt", "e.css"):
        assert (tmp_path / name).read_bytes() == files[name]
    assert saved == (len(files["a.css"]) - 11) + (len(files["sub/b.js"]) - 7)
    assert assets.strip_tree(tmp_path / "missing") == 0
