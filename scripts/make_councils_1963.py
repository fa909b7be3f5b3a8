"""Write src/ottepel/data/sovnarkhoz_councils_1963.csv: the 1963 merger of the councils.

The 1957 councils (one per row of regions_1957.csv) were merged into 47 larger ones
from early 1963 (regions_notes.md): RSFSR 24, Ukraine 7, Kazakhstan 7, one Central
Asian council, one for each other republic. Ukraine and Kazakhstan are grouped by
hand from the names in the notes; the RSFSR grouping is not known row by row and is
reconstructed here by proximity: a deterministic k-means (k = 24) on the council seats,
weighted by 1959 population. Run from the repository root:
    PYTHONPATH=src python scripts/make_councils_1963.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ottepel.data import load_regions

UKRAINE = {"UA01": "Kiev", "UA02": "Kharkov", "UA03": "Lvov", "UA10": "Lvov",
           "UA04": "Podolsk", "UA05": "Donetsk", "UA09": "Donetsk", "UA06": "Pridneprovsk",
           "UA07": "Pridneprovsk", "UA08": "Black Sea", "UA11": "Black Sea"}
KAZAKH = {"KZ01": "Tselinny krai", "KZ07": "Tselinny krai", "KZ08": "Tselinny krai",
          "KZ02": "West Kazakhstan krai", "KZ05": "West Kazakhstan krai",
          "KZ09": "South Kazakhstan krai", "KZ03": "Alma-Ata", "KZ04": "East Kazakhstan",
          "KZ06": "Karaganda"}
CENTRAL_ASIA = {"Uzbek SSR", "Kirghiz SSR", "Tajik SSR", "Turkmen SSR"}
NOTES = "regions_notes.md (consolidations 1957-1965)"


def kmeans(xy: np.ndarray, w: np.ndarray, k: int, iters: int = 100) -> np.ndarray:
    """Weighted k-means seeded by population x distance (deterministic)."""
    centres = [xy[np.argmax(w)]]
    for _ in range(k - 1):
        d = np.min([((xy - c) ** 2).sum(1) for c in centres], axis=0)
        centres.append(xy[np.argmax(d * w)])
    c = np.array(centres)
    for _ in range(iters):
        lab = np.argmin(((xy[:, None, :] - c[None]) ** 2).sum(-1), axis=1)
        c = np.array([np.average(xy[lab == j], axis=0, weights=w[lab == j]) if (lab == j).any()
                      else c[j] for j in range(k)])
    return lab


def main() -> None:
    r = load_regions()
    rows = []
    ru = np.flatnonzero(r.republic == "RSFSR")
    xy = np.c_[r.lat[ru], r.lon[ru] * np.cos(np.radians(r.lat[ru]))]
    lab = kmeans(xy, r.population_1959[ru], 24)
    ru_council = {r.code[i]: f"RSFSR-{lab[j] + 1:02d}" for j, i in enumerate(ru)}
    for i, code in enumerate(r.code):
        rep = r.republic[i]
        if code in ru_council:
            council, conf = ru_council[code], "low"
            src = NOTES + ": RSFSR cut to 24 councils; grouping reconstructed by proximity of seats"
        elif code in UKRAINE:
            council, conf = "Ukraine " + UKRAINE[code], "medium"
            src = NOTES + ": Ukraine's 7 councils of 1963 named; assignment of oblasts reconstructed"
        elif code in KAZAKH:
            council, conf = KAZAKH[code], "low"
            src = NOTES + ": Kazakhstan 3 krais + 4 oblasts (inferred); our 9 rows give 6"
        elif rep in CENTRAL_ASIA:
            council, conf = "Central Asia", "high"
            src = NOTES + ": Central Asian Sovnarkhoz (Tashkent) from Dec 1962"
        else:
            council, conf = rep, "high"
            src = NOTES + ": one council per small republic"
        rows.append({"code": code, "council_1963": council, "source": src, "confidence": conf})
    df = pd.DataFrame(rows)
    df.to_csv("src/ottepel/data/sovnarkhoz_councils_1963.csv", index=False)
    print(df["council_1963"].nunique(), "councils")


if __name__ == "__main__":
    main()
