# This module writes the benchmark's floor: the same pages as the portal, every one of them as
# a Markdown file for a plain mkdocs-material build (no theme customisations, no generator
# stage), and a config for it. The portal renders decision pages and lists itself into shells
# (generator/shell.py); the floor is what MkDocs alone costs for the same content, so the
# ratio says what the generator's way of building costs or saves against it.
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def write_plain(root: Path, as_of: str, dest: Path) -> Path:
    """Write dest/docs (every page as Markdown, every data file) and dest/mkdocs.yml."""
    from generator.pipeline import generate

    generated = generate(root, datetime.fromisoformat(as_of))
    assert generated.ok, [str(p) for p in generated.problems][:5]
    docs = dest / "docs"
    for o in generated.outputs:
        target = docs / o.path
        target.parent.mkdir(parents=True, exist_ok=True)
        content = o.content
        if o.path.endswith(".md") and content.startswith(b"{"):
            head, _, body = content.decode("utf-8").partition("\n")
            title = json.loads(head)["title"]
            content = (f"---\ntitle: {json.dumps(title)}\n---\n\n{body}").encode("utf-8")
        target.write_bytes(content)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(dest / "site")
    config["theme"].pop("custom_dir", None)
    config.pop("extra_css", None)
    config.pop("extra_javascript", None)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return dest / "mkdocs.yml"


if __name__ == "__main__":
    print(write_plain(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])))
