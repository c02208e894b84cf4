"""The default subject and body of every message, in French; an edition may replace any of them in its YAML
(`emails:`). Jinja, with the documents' context (see documents/context.py) plus each message's own variables
(mail.templating.EXTRAS). Texts are plain: a blank line starts a paragraph, "- " a list item, **bold** is
bold and links are made clickable in the HTML part (mail.html).
"""

from __future__ import annotations

DEFAULTS: dict[str, tuple[str, str]] = {
    "sign_in_link": (
        "Votre lien de connexion — Appels à projets",
        """Bonjour,

Pour vous connecter, ouvrez ce lien :
{{ url }}

Il est valable {{ minutes }} minutes et ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : personne ne peut se connecter sans lui.

— L'équipe des appels à projets""",
    ),
    "submission_acknowledgement": (  # sent at once; the documents follow in submission_receipt
        "Accusé de dépôt : dossier {{ dossier.reference }} — {{ edition.short_title }}",
        """Bonjour,

Nous accusons réception de votre dossier « {{ dossier.title }} » pour l'appel à projets « {{ edition.title }} » ({{ edition.ordinal }} édition).

- Référence : {{ dossier.reference }}
- Déposé le : {{ deposited_at }} (heure de Paris)
- Empreinte SHA-256 des réponses déposées : {{ fingerprint }}

L'empreinte identifie exactement les réponses déposées : elle figure aussi sur la page de votre dossier. Rappelez la référence dans vos échanges avec l'équipe du programme.

Le dossier mis en forme (PDF et Word) vous sera envoyé dans un second message dès qu'il sera prêt. Votre dossier reste consultable à tout moment :
{{ dossier_url }}

— {{ edition.organisation }}""",
    ),
    "submission_receipt": (
        "Votre dossier {{ dossier.reference }} — {{ edition.short_title }}",
        """Bonjour,

Votre dossier « {{ dossier.title }} » a bien été déposé le {{ dossier.submitted_at }} pour l'appel à projets « {{ edition.title }} » ({{ edition.ordinal }} édition).

Sa référence : **{{ dossier.reference }}**. Rappelez-la dans vos échanges avec l'équipe du programme.

{% if documents %}Vous trouverez en pièce jointe : {{ documents | join(', ') }} (PDF et Word). {% endif %}Votre dossier reste consultable à tout moment :
{{ dossier_url }}

L'appel se clôt le {{ edition.closes }} (heure de Paris) ; le jury examinera ensuite les dossiers. Vous serez informé(e) du résultat par courriel.

Pour toute question : {{ edition.contact_email }}

— {{ edition.organisation }}""",
    ),
    "submission_notification": (
        "Nouveau dossier {{ dossier.reference }}{{ ' — ' ~ administration if administration else '' }}",
        """Un dossier vient d'être déposé.

- Référence : {{ dossier.reference }}
- Projet : {{ dossier.title }}
- Porteur : {{ administration }}
- Axe : {{ dossier.axis }}
- Montant demandé : {{ c.amount_requested }}

Fiche du dossier : {{ staff_url }}""",
    ),
    "reminder": (
        "Plus que {{ days_left }} jour{{ 's' if days_left > 1 else '' }} pour déposer votre dossier — {{ edition.short_title }}",
        """Bonjour,

Votre dossier « {{ dossier.title or 'sans titre' }} » pour l'appel à projets « {{ edition.title }} » n'est **pas encore déposé**.

L'appel se clôt le {{ edition.closes }} (heure de Paris). Après cette date, le dossier ne pourra plus être déposé.

Pour le compléter et le déposer :
{{ dossier_url }}

— {{ edition.organisation }}""",
    ),
    "staff_invitation": (  # fixed text: an invitation to the back-office, for one person (accounts.invitations)
        "Invitation à l'espace équipe{{ ' — ' ~ edition.short_title if edition else '' }} — Appels à projets",
        """Bonjour{{ ' ' ~ name if name else '' }},

{{ inviter }} vous invite à rejoindre l'espace équipe des appels à projets, avec le rôle : {{ role }}{% if edition %}, pour l'appel « {{ edition.title }} » ({{ edition.ordinal }} édition){% endif %}.

Pour choisir votre mot de passe et activer votre compte, ouvrez ce lien :
{{ url }}

Il est valable {{ days }} jours et ne sert qu'une fois. Vous vous connecterez ensuite avec votre adresse électronique et ce mot de passe. Si vous n'attendiez pas cette invitation, ignorez ce message : aucun compte ne sera créé.

— L'équipe des appels à projets""",
    ),
    "workshop_address_check": (  # fixed text: it goes to any address typed, so it carries nothing typed
        "Confirmez votre inscription : {{ workshop.title }} — {{ workshop.date }}",
        """Bonjour,

Une inscription à « {{ workshop.title }} » ({{ workshop.date }}) a été demandée avec cette adresse électronique.

Pour la confirmer, ouvrez ce lien (valable 48 heures) puis appuyez sur « Confirmer mon inscription » :
{{ confirm_url }}

Aucune place n'est réservée avant cette confirmation. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucune inscription ne sera enregistrée.

— {{ edition.organisation }}""",
    ),
    "workshop_registration": (
        "{{ 'Inscription confirmée' if registered else 'Liste d’attente' }} : {{ workshop.title }} — {{ workshop.date }}",
        """Bonjour {{ name }},

{% if registered %}Votre inscription à « {{ workshop.title }} » est confirmée.{% else %}La session « {{ workshop.title }} » est complète : vous êtes sur la liste d'attente. Vous recevrez un nouveau message si une place se libère.{% endif %}

- Date : {{ workshop.date }}
- Lieu : {{ workshop.place }}{% if remote and not workshop.remote_only %} — vous participerez à distance (visioconférence){% endif %}{% if join_url %}
- Lien de connexion : {{ join_url }}{% endif %}

{% if workshop.description %}{{ workshop.description }}

{% endif %}{% if registered %}L'invitation pour votre agenda est jointe à ce message.

{% endif %}Si vous ne pouvez pas venir, merci d'annuler votre inscription pour laisser la place à une autre personne :
{{ cancel_url }}

— {{ edition.organisation }}""",
    ),
    "result_laureate": (
        "Votre projet est lauréat — {{ edition.short_title }}",
        """Bonjour,

Nous avons le plaisir de vous annoncer que le jury a retenu votre projet « {{ dossier.title }} » ({{ dossier.reference }}) : il est **lauréat** de l'appel à projets « {{ edition.title }} ».

Le montant accordé est de {{ c.amount_granted }}{{ ', soit ' ~ c.share_granted ~ ' du coût du projet' if c.share_granted else '' }}. Il vous sera versé selon l'échéancier suivant :
{% for v in c.instalments %}
- {{ v.label }} : {{ v.amount }} ({{ v.share }}), {{ v.when }}{% endfor %}

La convention de financement vous sera envoyée prochainement pour signature.

Félicitations !

— {{ edition.organisation }}""",
    ),
    "result_not_selected": (
        "Résultat de l'appel à projets — {{ edition.short_title }}",
        """Bonjour,

Le jury a examiné avec attention votre projet « {{ dossier.title }} » ({{ dossier.reference }}). Il n'a malheureusement pas été retenu.

{% if reason %}Motif : {{ reason }}

{% endif %}Nous vous remercions pour votre participation. L'équipe du programme se tient à votre disposition pour en parler : {{ edition.contact_email }}

— {{ edition.organisation }}""",
    ),
    "convention_sent": (
        "Convention de financement à signer — {{ dossier.reference }}",
        """Bonjour,

Vous trouverez ci-joint la convention de financement de votre projet « {{ dossier.title }} » ({{ dossier.reference }}), pour un montant de {{ c.amount_granted }}.

Merci de la faire signer{{ ' par ' ~ signatory.name if signatory.name else '' }}{{ ' (' ~ signatory.function ~ ')' if signatory.function else '' }}, puis de déposer la version signée, au format PDF, sur la page de votre dossier :
{{ dossier_url }}

— {{ edition.organisation }}""",
    ),
    "summary_review": (  # asked from the staff's publication page, once per laureate (publication.operations)
        "Relisez le résumé public de votre projet — {{ edition.short_title }}",
        """Bonjour,

Les projets sélectionnés à l'appel à projets « {{ edition.title }} » seront présentés sur une page publique : titre, administration, axe, montant accordé et un court résumé de chaque projet.

{% if summary %}Voici le résumé prévu pour votre projet « {{ dossier.title }} » ({{ dossier.reference }}) :

{{ summary }}

Merci de le relire : vous pouvez le modifier ou le confirmer tel quel{% else %}Votre projet « {{ dossier.title }} » ({{ dossier.reference }}) n'a pas encore de résumé : merci de l'écrire{% endif %} ({{ max_length }} caractères au plus), sur cette page :
{{ summary_url }}

Le résumé enregistré sur cette page le jour de la publication sera celui de la page publique.

— {{ edition.organisation }}""",
    ),
    "report_receipt": (  # the laureate submitted a report (again, after « à compléter »)
        "{{ report.title }} reçu — {{ dossier.reference }}",
        """Bonjour,

Nous avons bien reçu le « {{ report.title }} » de votre projet « {{ dossier.title }} » ({{ dossier.reference }}), déposé le {{ report.submitted_at }} (heure de Paris).

L'équipe du programme va l'examiner : vous serez informé(e) par courriel de son acceptation, ou de ce qu'il faudrait compléter. Le rapport reste consultable à tout moment :
{{ report_url }}

Pour toute question : {{ edition.contact_email }}

— {{ edition.organisation }}""",
    ),
    "report_notification": (  # to the programme: a report waits for its review
        "Rapport à examiner : {{ report.title }} — {{ dossier.reference }}",
        """Un rapport vient d'être déposé{{ ' (dépôt n° ' ~ report.submissions ~ ', après une demande de compléments)' if report.submissions > 1 else '' }}.

- Dossier : {{ dossier.reference }} — {{ dossier.title }}
- Porteur : {{ administration }}
- Rapport : {{ report.title }}, à rendre le {{ report.due_on }}

Pour l'examiner : {{ staff_report_url }}""",
    ),
    "report_returned": (  # staff sent the report back « à compléter », with their comment
        "{{ report.title }} à compléter — {{ dossier.reference }}",
        """Bonjour,

L'équipe du programme a examiné le « {{ report.title }} » de votre projet « {{ dossier.title }} » ({{ dossier.reference }}). Il est **à compléter** :

{{ report.comment }}

Complétez-le puis déposez-le à nouveau depuis cette page :
{{ report_url }}

Pour toute question : {{ edition.contact_email }}

— {{ edition.organisation }}""",
    ),
    "report_accepted": (
        "{{ report.title }} accepté — {{ dossier.reference }}",
        """Bonjour,

L'équipe du programme a **accepté** le « {{ report.title }} » de votre projet « {{ dossier.title }} » ({{ dossier.reference }}).{% if report.comment %}

Son commentaire : {{ report.comment }}{% endif %}

Le rapport reste consultable à tout moment :
{{ report_url }}

— {{ edition.organisation }}""",
    ),
    "report_reminder": (  # 14 days, then 1 day before the due day (reports.reminders)
        "{{ report.title }} à rendre {{ 'demain' if days_left == 1 else ('aujourd’hui' if days_left == 0 else 'dans ' ~ days_left ~ ' jours') }} — {{ dossier.reference }}",
        """Bonjour,

Le « {{ report.title }} » de votre projet « {{ dossier.title }} » ({{ dossier.reference }}) est à rendre au plus tard le **{{ report.due_on }}** (23 h 59, heure de Paris). Il n'est **pas encore déposé**.

Pour le remplir et le déposer :
{{ report_url }}

— {{ edition.organisation }}""",
    ),
}
