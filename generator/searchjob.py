"""The search index of a live site, remade in the background after each edit.

At 50,000 papers the index takes about 4 s to remake, while an edit's own page is on
disk in about 0.1 s. Remade in the server's process, it would hold up the next edit
by those seconds; so `citehub serve` remakes it in a forked process instead. A newer
edit stops the one running and starts another, so the index follows the last edit as
soon as the editor pauses.

A stopped job leaves every index file whole (each is written by a rename), though
some may be older than others until the next job ends; `citehub build` after the
server compares the index with the content again, so it never trusts such an index.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from generator.build import BuildReport, update_search
from generator.collection import Collection
from generator.parallel import die_with_parent


@dataclass(slots=True)
class SearchJob:
    pid: int | None = None  # the forked process writing the index, while it runs

    def start(self, site: Collection, output: Path) -> None:
        """Stop the job running, if any, and start remaking the index of `site`."""
        self.stop()
        pid = os.fork()
        if pid == 0:
            os._exit(remake_index(site, output))  # never returns into the server's code
        self.pid = pid

    def stop(self) -> None:
        """Stop the job at once. Called before the site on disk changes again."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.wait()

    def wait(self) -> bool:
        """Wait for the job to end; whether it wrote the index (True when none ran)."""
        if self.pid is None:
            return True
        pid, self.pid = self.pid, None
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status) == 0


def remake_index(site: Collection, output: Path) -> int:
    """In the forked process: write the index files whose bytes changed; an exit code."""
    try:
        die_with_parent()
        update_search(site, output, BuildReport())
        return 0
    except BaseException:  # a bug: say so, and never unwind into the server's code
        traceback.print_exc()
        sys.stderr.flush()
        return 1
