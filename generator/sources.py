"""Reading content files safely: links, encodings, control characters, front matter.

Shared by every reader of `content/` (config, records, editorial pages, themes), so
each applies the same rules: no symbolic link out of the site, UTF-8 only, and no
control characters (invalid in HTML and XML) in what reaches a page.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.problems import Problem, display_path

FENCE = "---"

# Control characters (NUL, form feed... from PDF extraction in real data) are invalid in
# HTML and XML; tabs and line breaks are kept.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text: str) -> str:
    """`text` without the control characters HTML and XML cannot hold."""
    return _CONTROL.sub("", text)


def link_problem(path: Path, root: Path, what: str) -> Problem | None:
    """A problem when `path` is a symbolic link citehub must not follow, else None.

    A link to a file inside `root` is read like the file. A link out of `root` is
    refused: following it would let a build read, and publish, any file on the
    machine. A link to a folder is refused too, as it would not be searched.
    """
    if not path.is_symlink():
        return None
    shown = display_path(path)
    try:
        target = path.resolve(strict=False)
    except (OSError, RuntimeError):  # a loop of links
        return Problem(shown, 0, "is a symbolic link that loops back on itself")
    if not target.is_relative_to(root.resolve()):
        return Problem(shown, 0, f"is a symbolic link to {display_path(target)}, outside "
                                 f"{what}: citehub does not follow links out of the site "
                                 "(copy the file in instead)")
    if target.is_dir():
        return Problem(shown, 0, "is a symbolic link to a folder: citehub does not follow "
                                 "folder links (move the files in instead)")
    if not target.is_file():
        return Problem(shown, 0, f"is a symbolic link to {display_path(target)}, "
                                 "which does not exist")
    return None


def read_text(path: Path, shown: str) -> tuple[str, Problem | None]:
    return decode_text(path.read_bytes(), shown)


def decode_text(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    """UTF-8 text with any BOM dropped and line ends made '\\n'."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", Problem(shown, line, f"not valid UTF-8 (byte 0x{raw[error.start]:02x})")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line), or None when the fences are missing."""
    if not text.startswith(FENCE + "\n") and text.rstrip("\n") != FENCE:
        return None
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None
