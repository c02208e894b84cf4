"""Check the instalments of an edition: shares that make the whole grant, triggers that say what they need.

The amounts themselves are cut by dossiers.instalments; here only what staff can get wrong in the file.
"""

from __future__ import annotations

from decimal import Decimal

from editions.check_context import CheckContext
from editions.loader import EditionError

# What each trigger needs beside it, and how the check says it.
DETAILS = {"report": "la clé du rapport dont l'acceptation déclenche le versement (un rapport déclaré sous "
                     "« reports »), par exemple « report: rapport_final »",
           "date": "la date du versement, par exemple « date: 2020-06-30 »"}


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + " %"


def check_instalments(ctx: CheckContext) -> list[EditionError]:
    """Shares add up to 100 %, each trigger has its detail (and no other), no payment before the opening."""
    instalments = ctx.edition.definition.instalments
    if not instalments:
        return []
    errors: list[EditionError] = []
    shares = [Decimal(str(i.share)) for i in instalments]
    if sum(shares) != 100:
        written = " + ".join(_percent(s) for s in shares)
        errors.append(ctx.error(("instalments",), f"les parts des versements font {_percent(sum(shares))} "
                                                  f"({written}) : elles doivent faire 100 %", key=True))
    opens = ctx.edition.opens_at.astimezone(ctx.edition.zone).date()
    for index, instalment in enumerate(instalments):
        at = ("instalments", index)
        for detail, needs in DETAILS.items():
            given = getattr(instalment, detail) is not None
            if instalment.trigger == detail and not given:
                errors.append(ctx.error(at + ("trigger",), f"« trigger: {detail} » demande « {detail} » : {needs}"))
            elif given and instalment.trigger != detail:
                errors.append(ctx.error(at + (detail,), f"« {detail} » ne sert qu'avec « trigger: {detail} » "
                                                        f"(ce versement a « trigger: {instalment.trigger} »)",
                                        key=True))
        if instalment.trigger == "date" and instalment.date is not None and instalment.date < opens:
            errors.append(ctx.error(at + ("date",), f"le versement « {instalment.label} » tomberait avant "
                                                    f"l'ouverture de l'appel ({opens:%d/%m/%Y}) : vérifiez l'année"))
    return errors
