"""Excel and WPS lock files: `~$` + the workbook's name beside a workbook that is open.

Excel names the lock file `~$` + the file name, dropping the first two characters of long
names; WPS keeps the whole name. A lock file beside the input means the workbook is open in
Excel or WPS, so edits not yet saved are not in the bytes the tool scores.
"""

from __future__ import annotations

import stat
from pathlib import Path

LOCK_PREFIX = "~$"


def lock_file_of(path: Path) -> Path | None:
    """The lock file beside `path`, when there is one."""
    names = {LOCK_PREFIX + path.name, LOCK_PREFIX + path.name[2:]} if len(path.name) > 2 else {
        LOCK_PREFIX + path.name}
    for name in sorted(names):
        candidate = path.with_name(name)
        try:
            if stat.S_ISREG(candidate.lstat().st_mode):
                return candidate
        except OSError:
            continue
    return None
