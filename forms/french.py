"""The one base of every form of the site: WTForms' own messages in French, the CSRF refusal too.

Our validators carry their French messages; WTForms' defaults (« Field cannot be longer than 200
characters. », « Not a valid choice. ») come from its French catalogue, so no English reaches a page
whatever form shows it. Flask-WTF's CSRF messages are not in that catalogue: they are replaced here.
"""

from __future__ import annotations

from flask_wtf import FlaskForm

CSRF_REFUSED = "Le formulaire a expiré : rechargez la page et recommencez."


class FrenchMeta:
    """WTForms' own messages in French (the app sets WTF_I18N_ENABLED off so these locales are read)."""

    locales = ("fr_FR", "fr")
    cache_translations = True


class FrenchForm(FlaskForm):
    """Base of every form: CSRF-protected, French messages."""

    class Meta(FrenchMeta):
        pass

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        token = self._fields.get("csrf_token")
        if token is not None and token.errors:
            token.errors = [CSRF_REFUSED]
        return valid
