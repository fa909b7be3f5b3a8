"""The house rules of docs/ARCHITECTURE.md, checked on the import graph (grimp).

- Layers point down only: interfaces -> analysis -> ensemble -> core -> data.
- No import circles between modules, counting imports inside functions too.
- No module of src/ottepel over 500 lines.
- Outside core/ and ensemble/, ensembles come from ``ensemble.simulate.simulate`` (or
  ``ensemble.batch`` for parameter draws): nothing else calls the chunk runners.
"""

from __future__ import annotations

import re
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ottepel"
LAYERS = ["interfaces", "analysis", "ensemble", "core", "data"]  # top to bottom
MAX_LINES = 500
# Known debts being paid off (issue 19): each entry goes when its module is split or its
# circle broken, and the lists only shrink.
FAT_ALLOWED = {"core/scenario.py"}
# Known: the web app's jobs run Store.run_ensemble themselves (issue 19; helper "web").
ENSEMBLE_MAKERS_ALLOWED = {"interfaces/web/jobs.py"}
CHUNK_RUNNERS = re.compile(r"(run_chunk|run_ensemble|compute_chunks|run_chunks_dask)\(")
CIRCLES_ALLOWED: list[set[str]] = []


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("ottepel", cache_dir=None)


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    nodes = sorted(graph.modules)
    succ = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in nodes}
    index, low, on_stack, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_layers_point_down(graph):
    upward = []
    for importer in sorted(graph.modules):
        a = layer_of(importer)
        for imported in graph.find_modules_directly_imported_by(importer):
            b = layer_of(imported)
            if a is not None and b is not None and b < a:
                upward.append(f"{importer} -> {imported}")
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def test_no_import_circles(graph):
    found = [c for c in cycles(graph) if set(c) not in CIRCLES_ALLOWED]
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_cycle_finder_finds_a_circle():
    class Fake:
        modules = {"a", "b", "c"}

        @staticmethod
        def find_modules_directly_imported_by(m):
            return {"a": {"b"}, "b": {"a"}, "c": {"a"}}[m]

    assert cycles(Fake()) == [["a", "b"]]


def test_no_module_over_500_lines():
    fat = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
           if (n := len(p.read_text().splitlines())) > MAX_LINES
           and str(p.relative_to(SRC)) not in FAT_ALLOWED}
    assert not fat, f"modules over {MAX_LINES} lines: {fat}"


def test_one_place_turns_a_scenario_into_an_ensemble():
    makers = {str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
              if p.relative_to(SRC).parts[0] not in ("core", "ensemble")
              and CHUNK_RUNNERS.search(p.read_text())}
    extra = makers - ENSEMBLE_MAKERS_ALLOWED
    assert not extra, ("these modules run chunks themselves; call ottepel.ensemble.simulate."
                       f"simulate (or ensemble.batch for parameter draws): {sorted(extra)}")
