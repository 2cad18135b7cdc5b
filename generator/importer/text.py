# The page as text the readers can rely on: cleaned lines (HTML converted, invisible characters
# removed, flattened lists split), list markers understood, and a section's lines grouped into
# paragraphs, list items and tables that are written back out as the record's Markdown.
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.importer.html import _TextExtractor

# The characters the strict loader refuses (generator/yamlsource.py) plus the soft hyphen: they
# are invisible on the page, so dropping them loses nothing a reader saw.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\ufeff\u00ad"
                        "\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# ModernGov's text export turns each empty "&nbsp;" paragraph into " \xa0 " inside one line
# (seed 003), so a lone NBSP between plain spaces is a paragraph break. NBSP runs after a list
# number ("1.\xa0\xa0\xa0 That", seed 000) are only spacing and do not match.
_INLINE_SPACER = re.compile(r"(?<=\S) \u00a0+ (?=\S)")
_RULE_LINE = re.compile(r"^[\s|+:=_-]*-{3,}[\s|+:=_-]*$")
_HTML_HINT = re.compile(
    r"<(?:/?(?:p|b|strong|i|em|u|br|li|ul|ol|div|span|table|tr|td|th|sup|sub|a|h[1-6]|html|"
    r"body|head|section|article|main|font|small|blockquote|dl|dt|dd|hr|img)\b[^<>]*|!--|!doctype)"
    r"[^<>]*>", re.IGNORECASE)
_FULL_PAGE = re.compile(r"<(?:!doctype|html|body)\b", re.IGNORECASE)

_MARKER = re.compile(
    r"^(?:(?P<bullet>[-*•●▪◦‣·])\s+)?"
    r"(?:(?P<enum>\(\d{1,3}\)|\d{1,3}[.)]|\d{1,3}(?:\.\d{1,3})+\.?|\([a-z]\)|[a-z][.)]|"
    r"\([ivxlc]{1,6}\)|[ivxlc]{2,6}[.)]|\([A-Z]\)|[A-Z]\))(?=\s)\s*)?")
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
          "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "no.", "cllr.", "mr.", "mrs.", "ms.", "dr.", "st.",
                            "etc.", "approx.", "para.", "ref.", "vs.", "cf."})
_LOCAL_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?!https?://)[^)\s]*\)")


# ---------------------------------------------------------------------------------------------
# Lines and list markers
# ---------------------------------------------------------------------------------------------


def _source_lines(text: str, notes: list[str]) -> list[str]:
    """The page as cleaned lines: HTML converted, spacers collapsed, inline lists split."""
    text = text.removeprefix("\ufeff")
    for old, new in (("\r\n", "\n"), ("\r", "\n"), ("\u2028", "\n"), ("\u2029", "\n\n"),
                     ("\x0c", "\n"), ("\x0b", "\n")):
        text = text.replace(old, new)
    is_html = bool(_HTML_HINT.search(text))
    if is_html:
        parser = _TextExtractor(whole_page=bool(_FULL_PAGE.search(text)))
        parser.feed(text)
        parser.close()
        text = parser.text()
    hidden = [ch for ch in _INVISIBLE.findall(text) if ch != "\u00ad"]
    if hidden:
        names = sorted({f"U+{ord(ch):04X}" for ch in hidden})
        notes.append(f"Removed {len(hidden)} invisible or control character(s) "
                     f"({', '.join(names)}); the check refuses them.")
    text = _INVISIBLE.sub("", text)
    if not is_html:
        text = _INLINE_SPACER.sub("\n\n", text)
    text = _ODD_SPACES.sub(" ", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if _RULE_LINE.match(line):
            line = ""
        # Split before collapsing spaces: the double space after "ii)" tells an item apart.
        lines.extend(re.sub(r" {2,}", " ", piece) for piece in _split_inline_items(line))
    return lines


def _marker(text: str) -> re.Match[str] | None:
    m = _MARKER.match(text)
    if m is None or (m.group("bullet") is None and m.group("enum") is None):
        return None
    return m


def _enum_kind(enum: str | None) -> tuple[str, int, str]:
    """(kind, position, style) of a list marker: ("roman", 4, "x)") for "iv)"."""
    if not enum:
        return "bullet", 0, ""
    core = enum.strip("().")
    style = "(x)" if enum.startswith("(") else ("x." if enum.endswith(".") else "x)")
    if re.fullmatch(r"\d+(?:\.\d+)+", core):
        return "section", 0, style
    if core.isdigit():
        return "num", int(core), style
    # "i)" starts a roman list; "v)" or "x)" alone are letters (a list rarely starts at 5 or 10).
    if core in _ROMAN and (len(core) > 1 or core == "i"):
        return "roman", _ROMAN.index(core) + 1, style
    if len(core) == 1 and core.islower():
        return "alpha", ord(core) - 96, style
    if len(core) == 1 and core.isupper():
        return "ALPHA", ord(core) - 64, style
    return "other", 0, style


def _same_list(enum: str, kind: str) -> bool:
    """Whether a marker continues a list of `kind`: "v)" continues "i), ii), ..." although on its
    own it would be the letter v."""
    own = _enum_kind(enum)[0]
    core = enum.strip("().")
    return own == kind or (kind == "roman" and core in _ROMAN) or (
        kind == "alpha" and len(core) == 1 and core.islower())


def _format_enum(kind: str, n: int, style: str) -> str:
    token = {"num": str(n), "alpha": chr(96 + n) if n <= 26 else "",
             "ALPHA": chr(64 + n) if n <= 26 else "",
             "roman": _ROMAN[n - 1] if n <= len(_ROMAN) else ""}.get(kind, "")
    if not token:
        return ""
    return {"(x)": f"({token})", "x.": f"{token}.", "x)": f"{token})"}[style]


def _split_inline_items(line: str) -> list[str]:
    """Split "i) one. ii) two" (a list flattened onto one line) into one line per item.

    Only the next marker in sequence splits, and only after a sentence end or before a double
    space, so "(a) and (b)" inside a sentence stays whole.
    """
    m = _marker(line)
    if m is None or not m.group("enum"):
        return [line]
    kind, n, style = _enum_kind(m.group("enum"))
    if kind in ("bullet", "section") or n == 0:
        return [line]
    pieces: list[str] = []
    start, pos = 0, m.end()
    while True:
        token = _format_enum(kind, n + 1, style)
        if not token:
            break
        nxt = re.compile(r"(?:(?<=[.;:])\s+|\s+(?=" + re.escape(token) + r"\s{2}))"
                         + re.escape(token) + r"\s").search(line, pos)
        if nxt is None:
            break
        cut = nxt.start() + len(nxt.group()) - len(token) - 1
        pieces.append(line[start:cut].rstrip())
        start, pos, n = cut, nxt.end(), n + 1
    pieces.append(line[start:].strip())
    return pieces


def _text_after_marker(text: str) -> str:
    m = _marker(text)
    if m is None:
        return text
    rest = text[m.end():].strip()
    inner = _marker(rest) if m.group("bullet") else None
    return rest[inner.end():].strip() if inner else rest


def _unbold(text: str) -> str:
    s = text.strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4 and "**" not in s[2:-2]:
        return s[2:-2].strip()
    return s


# ---------------------------------------------------------------------------------------------
# Blocks: paragraphs, list items and tables inside a section
# ---------------------------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # "para", "item" or "table"
    text: str = ""
    enum: str = ""  # the item's number as written: "1.", "(a)", "" for a bullet
    bullet: bool = False
    rows: list[list[str]] = field(default_factory=list)


def _ends_open(text: str) -> bool:
    return bool(text) and not re.search(r"[.!?:;)\]\"”’*]$", text)


def _continues(prev: str, nxt: str) -> bool:
    """Whether `nxt` carries on a sentence that a page break cut ("through a" / "contract
    arrangement with ..."), so the two are one paragraph."""
    return _ends_open(prev) and nxt[:1].islower()


def _blocks(lines: Sequence[str]) -> list[_Block]:
    blocks: list[_Block] = []
    gap = True
    for line in lines:
        s = line.strip()
        if not s:
            gap = True
            continue
        cells = [c.strip() for c in s.split("\t")]
        if len([c for c in cells if c]) >= 2:
            if blocks and blocks[-1].kind == "table" and not gap:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(_Block("table", rows=[cells]))
            gap = False
            continue
        s = re.sub(r"^#{1,6}\s+", "", s.replace("\t", " ").strip())
        m = _marker(s)
        if m:
            text = s[m.end():].strip()
            inner = _marker(text) if m.group("bullet") and not m.group("enum") else None
            enum = m.group("enum") or ""
            if inner and inner.group("enum"):  # "- (1) ..." or "- 1. ..."
                enum, text = inner.group("enum"), text[inner.end():].strip()
            elif inner:  # "- • ..."
                text = text[inner.end():].strip()
            blocks.append(_Block("item", text, enum=enum, bullet=not enum))
        elif blocks and not gap and blocks[-1].kind in ("para", "item"):
            blocks[-1].text += " " + s
        elif blocks and blocks[-1].kind in ("para", "item") and _continues(blocks[-1].text, s):
            blocks[-1].text += " " + s
        else:
            blocks.append(_Block("para", s))
        gap = False
    return blocks


def _md_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    cells = [[_clean(c).replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(lines)


def _clean(text: str) -> str:
    """Text as it goes into the record: single spaces, no stray bold marks, and links that are
    not web addresses reduced to their text."""
    text = _LOCAL_LINK.sub(r"\g<text>", re.sub(r"[ \t]+", " ", text)).strip()
    if text.count("**") % 2:
        text = text.replace("**", "")
    return text


def _prose(blocks: Sequence[_Block]) -> str:
    """Blocks as Markdown: paragraphs apart, bullets as a tight list, tables as pipe tables."""
    parts: list[tuple[str, bool]] = []
    for b in blocks:
        if b.kind == "table":
            parts.append((_md_table(b.rows), False))
        elif b.kind == "item" and b.bullet:
            parts.append((f"- {_clean(b.text)}", True))
        elif b.kind == "item":
            parts.append((f"{b.enum} {_clean(b.text)}", False))
        else:
            parts.append((_clean(b.text), False))
    out = ""
    for i, (text, is_bullet) in enumerate(parts):
        if i:
            out += "\n" if is_bullet and parts[i - 1][1] else "\n\n"
        out += text
    return out


def _first_sentence(text: str) -> tuple[str, str]:
    for m in _SENTENCE_END.finditer(text):
        before = text[:m.start()].split()
        if before and before[-1].lower() in _ABBREVIATIONS:
            continue
        return text[:m.start()], text[m.end():]
    return text, ""
