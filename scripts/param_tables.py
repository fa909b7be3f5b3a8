"""Regenerate the parameter tables at the end of docs/ODD.md from the code.

Usage: python scripts/param_tables.py   (rewrites the block between the markers)
"""

from pathlib import Path

from ottepel.params import parameter_table

START, END = "<!-- params:start -->", "<!-- params:end -->"


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


def main() -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"
    text = path.read_text()
    head, rest = text.split(START)
    _, tail = rest.split(END)
    path.write_text(head + START + "\n" + table() + END + tail)


if __name__ == "__main__":
    main()
