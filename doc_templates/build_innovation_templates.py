"""Build the Word templates of the example call « innovation » with the same builders as ETNA's.

    .venv/bin/python doc_templates/build_innovation_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "doc_templates"))

from build_etna_templates import build_convention, build_dossier, build_specifications  # noqa: E402

DINUM = ("DINUM", "Direction interministérielle du numérique (DINUM)",
         "le directeur interministériel du numérique (DINUM), 20 avenue de Ségur, 75007 Paris")


def main() -> None:
    from editions.loader import parse_yaml, read_source, validate_data
    from editions.model import LoadedEdition

    folder = ROOT / "doc_templates" / "innovation"
    folder.mkdir(parents=True, exist_ok=True)
    path = ROOT / "workflows" / "innovation-2020-1.yaml"
    source = read_source(path, str(path))
    data, positions = parse_yaml(source, str(path))
    edition = LoadedEdition(definition=validate_data(data, positions, str(path)), path=path, source=source)
    build_dossier(edition, folder / "dossier.docx", organisation=DINUM[1])
    build_convention(folder / "convention.docx", DINUM)
    build_specifications(folder / "cahier-des-charges.docx", DINUM[1])
    print(f"Modèles écrits dans {folder}")


if __name__ == "__main__":
    main()
