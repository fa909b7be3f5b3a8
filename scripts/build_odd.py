"""Rebuild the generated parts of docs/ODD.md from the code and docs/odd/*.md.

- the submodel sections written per domain in docs/odd/ (between the submodels markers);
- the parameter tables from the pydantic parameter models (between the params markers).

Usage: python scripts/build_odd.py
"""

from pathlib import Path

from ottepel.core.catalog import parameter_table

START, END = "<!-- params:start -->", "<!-- params:end -->"
SUB_START, SUB_END = "<!-- submodels:start -->", "<!-- submodels:end -->"
# Order of the per-domain sections (files not listed come after, alphabetically).
SECTIONS = ["politics", "planning", "economy", "society", "camps", "bloc", "world", "berlin", "religion",
            "money", "promises", "education", "reliability", "calibration",
            "whatif"]


def table() -> str:
    rows = parameter_table()
    out, group = [], None
    for r in rows:
        g = r["path"].split(".")[0]
        if g != group:
            out += ["", f"### `{g}`", "", "| parameter | default | range | unit | source |",
                    "|---|---|---|---|---|"]
            group = g
        src = str(r["source"]).replace("|", "/")
        out.append(f"| `{r['path']}` | {r['default']:g} | [{r['lo']:g}, {r['hi']:g}] | "
                   f"{r['unit']} | {src} |")
    return "\n".join(out) + "\n"


def submodels(folder: Path) -> str:
    files = sorted(folder.glob("*.md"), key=lambda p: (SECTIONS.index(p.stem)
                   if p.stem in SECTIONS else len(SECTIONS), p.stem))
    parts = []
    for f in files:
        body = f.read_text().strip()
        # demote headings by two levels so they nest under section 7
        body = "\n".join("##" + ln if ln.startswith("#") else ln for ln in body.splitlines())
        parts.append(f"<!-- from docs/odd/{f.name} -->\n{body}\n")
    return "\n".join(parts)


def _replace(text: str, start: str, end: str, content: str) -> str:
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return head + start + "\n" + content + end + tail


def main() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    path = docs / "ODD.md"
    text = path.read_text()
    text = _replace(text, SUB_START, SUB_END, submodels(docs / "odd"))
    text = _replace(text, START, END, table())
    path.write_text(text)


if __name__ == "__main__":
    main()
