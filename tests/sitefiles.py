"""Write a whole test site from one string, so each test shows its complete input inline.

A spec is a series of files, each introduced by a header line `-- relative/path --`:

    -- content/papers/a.md --
    ---
    title: A
    ---

Everything up to the next header (or the end) is that file's text, written as UTF-8
with '\\n' line ends. Headers may be indented and each file's text is dedented on its
own, so a spec can be indented in a test and specs can be joined with `+`. Blank lines
at the end of a file are dropped (they only separate files); its last line keeps its
newline. For bytes that text cannot hold (a bad UTF-8 byte, a BOM, CRLF line ends)
write the file directly in the test.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path, PurePosixPath

_HEADER = re.compile(r"^\s*-- (?P<path>\S[^\n]*?) --\s*$")


def parse_spec(spec: str) -> dict[str, str]:
    """The files of `spec` as {relative posix path: text}, in the order given."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in spec.splitlines():
        match = _HEADER.match(line)
        if match is not None:
            path = match["path"]
            relative = PurePosixPath(path)
            if relative.is_absolute() or ".." in relative.parts:
                raise ValueError(f"spec path must stay inside the site: {path!r}")
            if path in files:
                raise ValueError(f"spec names {path!r} twice")
            current = files[path] = []
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise ValueError(f"spec text before the first '-- path --' header: {line!r}")
    texts: dict[str, str] = {}
    for path, lines in files.items():
        while lines and not lines[-1].strip():
            lines.pop()
        texts[path] = textwrap.dedent("".join(line + "\n" for line in lines))
    return texts


def write_site(root: Path, spec: str) -> Path:
    """Write the files of `spec` under `root`; returns `root / "content"`."""
    for relative, text in parse_spec(spec).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root / "content"
