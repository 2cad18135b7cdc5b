# This module lets plain `mkdocs serve` and `mkdocs build` work: before MkDocs collects files it
# runs the generator and mirrors its output into docs_dir. It is deliberately thin: all logic
# lives in the generator, because Material for MkDocs reaches end of life in May 2027 and its
# successor, Zensical, reads the same mkdocs.yml but runs no hooks. There, run
# `python -m generator render` first.
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # MkDocs loads hooks by path, not as part of a package
    sys.path.insert(0, str(_ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

from generator.cli import AS_OF_ENV, _as_of  # noqa: E402
from generator.pipeline import generate_again  # noqa: E402
from generator.problems import errors  # noqa: E402
from generator.write import PREGENERATED, sync_docs  # noqa: E402


def on_pre_build(config: Any, **_: Any) -> None:
    if os.environ.get(PREGENERATED):  # `python -m generator build` has already generated
        return
    root = Path(config.config_file_path).resolve().parent
    # serve runs this again for the files it just wrote; identical inputs give the last result
    generated = generate_again(root, _as_of(os.environ.get(AS_OF_ENV)))
    problems = errors(generated.problems)
    if problems or not generated.ok:
        listing = "\n".join(str(p) for p in problems)
        raise PluginError(f"The records have problems; nothing was generated:\n{listing}")
    sync_docs(Path(config.docs_dir), generated.outputs)
