"""Every hostile PDF of the corpus gets a French refusal or a clean acceptance from the upload check.

A clean acceptance means the stored copy reads back with the same pages and without active content.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.security import corpus
from uploads.confinement import run_confined
from uploads.pdf import INSPECTION_LIMITS, UploadRefused, inspect_pdf

NAMED = {"bombe d'arbre de pages": corpus.page_tree_bomb(), "tableaux imbriqués": corpus.nested_arrays(),
         "chaîne de tableaux": corpus.nested_array_chain(),
         "dictionnaires imbriqués": corpus.nested_dictionaries(), "contenu actif": corpus.active_content(),
         "ressources cassées": corpus.broken_resources(), **corpus.MALFORMED_CATALOGS}


def assert_clean(data: bytes, pages: int) -> None:
    """The file reads back with `pages` pages and nothing active in it."""
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == pages
    for marker in corpus.active_names():
        assert marker not in data, marker
    root = reader.trailer["/Root"]
    assert not {"/OpenAction", "/AA", "/Names"} & set(root)
    for page in reader.pages:
        assert "/AA" not in page
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            assert annotation.get("/Subtype") != "/Link" and not {"/A", "/AA"} & set(annotation)


@pytest.mark.parametrize("name", list(NAMED))
def test_each_hostile_pdf_is_refused_in_french_or_accepted_clean(name):
    try:
        info = inspect_pdf(NAMED[name], max_mb=10, max_pages=50, filename="annexe.pdf")
    except UploadRefused as refused:
        assert str(refused).startswith("« annexe.pdf » ")
        assert any(word in str(refused) for word in ("illisible", "trop complexe", "aucune page", "pages"))
        return
    assert_clean(info.data, info.pages)


def test_the_bomb_and_the_broken_catalogs_are_refused():
    for name in ("bombe d'arbre de pages", "catalogue sans /Pages", "arbre de pages cyclique", "racine absente"):
        with pytest.raises(UploadRefused, match="illisible ou endommagé"):
            inspect_pdf(NAMED[name], max_mb=10, max_pages=50, filename="annexe.pdf")
    with pytest.raises(UploadRefused, match="structure trop complexe"):
        inspect_pdf(NAMED["chaîne de tableaux"], max_mb=10, max_pages=50, filename="annexe.pdf")


def test_active_content_is_stripped_when_the_annex_is_accepted():
    info = inspect_pdf(corpus.active_content(), max_mb=10, max_pages=50)
    assert info.pages == 2
    assert_clean(info.data, 2)


def test_a_signed_copy_is_checked_but_kept_as_received():
    from tests.staff_world import signed_pdf

    original = signed_pdf()
    info = inspect_pdf(original, max_mb=20, max_pages=60, normalise=False)
    assert info.data == original and info.signature_fields == 1


def test_a_seeded_fuzz_run_gives_only_refusals_and_acceptances_within_the_limits():
    """300 mutated PDFs through the child's own inspection, in one child under the upload limits for memory."""
    mutated = corpus.mutations(300, seed=2019)
    limits = INSPECTION_LIMITS.__class__(cpu_seconds=60, memory_mb=INSPECTION_LIMITS.memory_mb, wall_seconds=120)
    outcome = run_confined("tests.security.hungry:inspect_each", mutated, limits, max_pages=50)
    assert outcome.stopped is None, outcome.stopped
    outcomes = outcome.result["outcomes"]
    assert len(outcomes) == 300
    assert all(o.startswith(("accepted:", "refused:")) for o in outcomes)
    assert {o.split(":")[0] for o in outcomes} == {"accepted", "refused"}  # the corpus holds both kinds
    assert outcome.result["longest_cpu_seconds"] < INSPECTION_LIMITS.cpu_seconds
    assert outcome.peak_rss_mb < INSPECTION_LIMITS.memory_mb


def test_mutated_pdfs_through_the_whole_upload_check_never_raise_anything_else():
    for data in corpus.mutations(25, seed=7):
        try:
            info = inspect_pdf(data, max_mb=10, max_pages=50, filename="annexe.pdf")
        except UploadRefused as refused:
            assert str(refused).startswith("« annexe.pdf » ")
        else:
            assert len(PdfReader(io.BytesIO(info.data)).pages) == info.pages


def test_without_room_for_the_child_the_applicant_is_asked_to_try_again(monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "absent"))  # no temporary file can be made
    with pytest.raises(UploadRefused, match="n'a pas pu être vérifié pour le moment"):
        inspect_pdf(corpus.plain_pdf(), max_mb=10, max_pages=50, filename="annexe.pdf")
