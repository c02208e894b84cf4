"""The states of a payment line, their French labels and the one way forward: the one home of these rules.

A line waits (« en attente ») until its condition is met, is then due (« à demander »), and staff move it
forward one state at a time: requested from the finance team, sent for payment, paid. Each state keeps its date.
"""

from __future__ import annotations

WAITING = "en attente"
DUE = "à demander"
REQUESTED = "demandé"
ORDERED = "mis en paiement"
PAID = "payé"

LINE_STATES = (WAITING, DUE, REQUESTED, ORDERED, PAID)

LABELS = {WAITING: "En attente", DUE: "À demander", REQUESTED: "Demandé", ORDERED: "Mis en paiement", PAID: "Payé"}

NEXT = {DUE: REQUESTED, REQUESTED: ORDERED, ORDERED: PAID}  # staff's moves: one state forward, never back
IN_FLIGHT = (REQUESTED, ORDERED)  # the finance team has it: it goes on even when the project is abandoned

DATE_OF = {DUE: "due_on", REQUESTED: "requested_on", ORDERED: "ordered_on", PAID: "paid_on"}  # PaymentLine columns


def label(state: str) -> str:
    return LABELS.get(state, state)
