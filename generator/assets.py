"""Make the theme's CSS and JavaScript smaller as they are copied into the site.

A conservative stripper, not a minifier: it removes comments, the indentation at the
start of lines, whitespace at their ends and blank lines, and nothing else. Tokens,
spaces between them and line breaks between statements stay as written, so what a line
means never changes. Strings, regular expressions and url(...) are copied untouched.

Whatever it cannot read with certainty it leaves exactly as it is (`strip_css` and
`strip_js` return None): JavaScript with a template literal, a `/` that could start a
regular expression or divide, HTML-like comments, carriage returns or Unicode line
separators; CSS with a comment between two tokens (removing it would join them, a space
would change the selector), an escape outside a string, or an unterminated string or
comment.
"""

from __future__ import annotations

from pathlib import Path

# The only keywords a regular expression may follow; after any other word `/` divides.
REGEX_AFTER_WORDS = frozenset({
    "return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case", "do",
    "else"})
# After these a `/` could be either (`if (a) /re/.test(b)` or `(a) / b`; `of`, `yield` and
# `await` can also be plain names): refuse.
AMBIGUOUS_BEFORE_SLASH = frozenset({")", "}", "++", "--", "of", "yield", "await"})
SPACE = " \t\f\v"


class Unsure(Exception):
    """The text holds something the stripper does not classify: leave the file alone."""


# ------------------------------------------------------------------ whitespace


def _join(pieces: list[tuple[str, bool]], final_newline: bool) -> str:
    """Join (text, protected) pieces, dropping indentation, trailing spaces and blank lines
    from unprotected text. Protected text (strings, regexes, kept comments) is verbatim."""
    out: list[str] = []
    pending = ""  # spaces seen since the last token, written only if a token follows
    line_start = True
    for text, protected in pieces:
        if protected:
            if not line_start:
                out.append(pending)
            pending = ""
            out.append(text)
            line_start = False
            continue
        for char in text:
            if char == "\n":
                pending = ""
                if not line_start:
                    out.append("\n")
                line_start = True
            elif char in SPACE:
                pending += char
            else:
                if not line_start:
                    out.append(pending)
                pending = ""
                out.append(char)
                line_start = False
    result = "".join(out)
    if final_newline and result and not result.endswith("\n"):
        result += "\n"
    return result


class _Pieces:
    """Text cut into unprotected runs (`plain`) and protected pieces, in order."""

    def __init__(self) -> None:
        self.done: list[tuple[str, bool]] = []
        self.plain: list[str] = []  # unprotected text since the last protected piece

    def protect(self, text: str) -> None:
        self.close()
        self.done.append((text, True))

    def close(self) -> list[tuple[str, bool]]:
        if self.plain:
            self.done.append(("".join(self.plain), False))
            self.plain.clear()
        return self.done


# ------------------------------------------------------------------ CSS


def strip_css(text: str) -> str | None:
    """`text` without comments, indentation and blank lines; None if unsure."""
    try:
        return _join(_css_pieces(text), text.endswith("\n"))
    except Unsure:
        return None


def _css_pieces(text: str) -> list[tuple[str, bool]]:
    if "\r" in text:
        raise Unsure("carriage return")
    pieces = _Pieces()
    plain = pieces.plain
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise Unsure("unterminated comment")
            before = text[i - 1] if i else "\n"
            after = text[end + 2] if end + 2 < n else "\n"
            if before in SPACE + "\n" or after in SPACE + "\n":
                i = end + 2  # next to whitespace: dropping it joins nothing
                continue
            pieces.protect(text[i:end + 2])  # between two tokens: keep it
            i = end + 2
        elif char in "\"'":
            end = _string_end(text, i)
            pieces.protect(text[i:end])
            i = end
        elif char == "\\":
            raise Unsure("escape outside a string")  # `\31 ` ends at whitespace it eats
        elif text[i:i + 4].lower() == "url(":
            end = text.find(")", i)
            if end < 0:
                raise Unsure("unterminated url(")
            inner = text[i + 4:end].strip(SPACE + "\n")
            if inner[:1] in ("'", '"'):
                plain.append(text[i:i + 4])  # a quoted url: the string rule copies it
                i += 4
                continue
            if any(c in inner for c in "\"'(\\\n"):
                raise Unsure("url( not understood")
            pieces.protect(text[i:end + 1])
            i = end + 1
        else:
            plain.append(char)
            i += 1
    return pieces.close()


def _string_end(text: str, start: int) -> int:
    """The index after the string opened at `start` (CSS and JavaScript quoting)."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
        elif char == quote:
            return i + 1
        elif char in "\n\u2028\u2029":
            raise Unsure("line break in a string")
        else:
            i += 1
    raise Unsure("unterminated string")


# ------------------------------------------------------------------ JavaScript


def strip_js(text: str) -> str | None:
    """`text` without comments, indentation and blank lines; None if unsure."""
    try:
        return _join(_js_pieces(text), text.endswith("\n"))
    except Unsure:
        return None


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_$" or ord(char) > 127


def _js_pieces(text: str) -> list[tuple[str, bool]]:
    for bad in ("\r", "\u2028", "\u2029"):
        if bad in text:
            raise Unsure(f"{bad!r} in a script")
    if text.startswith("#!"):
        raise Unsure("hashbang")
    pieces = _Pieces()
    plain = pieces.plain
    previous = ""  # the last token: a word, a number or a punctuator ("" at the start)

    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("<!--", i) or text.startswith("-->", i):
            raise Unsure("HTML-like comment")
        if char == "`":
            raise Unsure("template literal")
        if char == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end  # the line break itself stays
        elif char == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise Unsure("unterminated comment")
            # A comment is whitespace; one holding a line break is a line break (ASI).
            plain.append("\n" if "\n" in text[i:end] else " ")
            i = end + 2
        elif char == "/":
            if previous in AMBIGUOUS_BEFORE_SLASH:
                raise Unsure(f"'/' after {previous!r}")
            word = bool(previous) and _is_word_char(previous[0])
            if (word and previous not in REGEX_AFTER_WORDS) or previous == "]":
                plain.append(char)  # division (or /=)
                previous = "/"
                i += 1
            else:
                end = _regex_end(text, i)
                pieces.protect(text[i:end])
                previous = "regex"  # like a word: `/` after it divides
                i = end
        elif char in "\"'":
            end = _string_end(text, i)
            pieces.protect(text[i:end])
            previous = "string"
            i = end
        elif char in SPACE + "\n":
            plain.append(char)
            i += 1
        elif _is_word_char(char) or (char == "." and text[i + 1:i + 2].isdigit()):
            start = i
            while i < n and (_is_word_char(text[i])
                             or (text[i] == "." and text[start].isdigit())):
                i += 1
            plain.append(text[start:i])
            # After a dot a word is a property name, never a keyword (`a.return / 2`).
            previous = "name" if previous == "." else text[start:i]
        else:
            pair = text[i:i + 2]
            token = pair if pair in ("++", "--") else char
            plain.append(token)
            previous = token
            i += len(token)
    return pieces.close()


def _regex_end(text: str, start: int) -> int:
    """The index after the regular expression literal (and its flags) at `start`."""
    i = start + 1
    in_class = False
    while i < len(text):
        char = text[i]
        if char == "\\":
            if text[i + 1:i + 2] in ("", "\n"):
                raise Unsure("line break in a regular expression")
            i += 2
            continue
        if char == "\n":
            raise Unsure("line break in a regular expression")
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            i += 1
            while i < len(text) and _is_word_char(text[i]):
                i += 1
            return i
        i += 1
    raise Unsure("unterminated regular expression")


# ------------------------------------------------------------------ files


def strip_file(path: Path) -> int:
    """Strip a .css or .js file in place if that is safe; the bytes saved (0 if untouched)."""
    strip = {".css": strip_css, ".js": strip_js}.get(path.suffix.lower())
    if strip is None or path.is_symlink() or not path.is_file():
        return 0
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    stripped = strip(text)
    if stripped is None:
        return 0
    smaller = stripped.encode("utf-8")
    if len(smaller) >= len(data):
        return 0
    path.write_bytes(smaller)
    return len(data) - len(smaller)


def strip_tree(folder: Path) -> int:
    """Strip every .css and .js file under `folder`; the bytes saved."""
    if not folder.is_dir():
        return 0
    return sum(strip_file(path) for path in sorted(folder.rglob("*")))
