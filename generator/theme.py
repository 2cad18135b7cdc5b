# This module assembles the theme customisations the site engine reads (`theme.custom_dir:
# build/overrides` in mkdocs.yml). They ship inside the package, so that an installed
# `decision-site` builds a council's own content repository, which holds no copy of them; a
# council's own overrides/ folder, when it has one, is laid on top, file by file. The engine
# (MkDocs today, Zensical after May 2027) then reads one ordinary folder either way.
# write.sync_theme puts them there before every render and build.
from __future__ import annotations

from pathlib import Path

from generator.render import Output

PACKAGE_OVERRIDES = Path(__file__).parent / "overrides"
BUILD_OVERRIDES = Path("build") / "overrides"
COUNCIL_OVERRIDES = "overrides"


def theme_files(root: Path) -> tuple[Output, ...]:
    """The package's overrides with the council's (root/overrides/) in their place by path."""
    files: dict[str, bytes] = {}
    for base in (PACKAGE_OVERRIDES, root / COUNCIL_OVERRIDES):
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            files[rel.as_posix()] = path.read_bytes()
    return tuple(Output(name, content) for name, content in sorted(files.items()))

