# The words readers see for the records' coded values (a route, a decision type, a status, an
# implication), in one place: pages, browse lists, feeds and the OCDS export all say the same
# thing for the same code, and a new code is named once.
from __future__ import annotations

ROUTE_WORDS = {
    "open-procedure": "Open procedure",
    "restricted-procedure": "Restricted procedure",
    "competitive-flexible": "Competitive flexible procedure",
    "framework": "Call-off from a framework agreement",
    "dps": "Dynamic purchasing system",
    "direct-award": "Direct award",
    "in-house": "Delivered in-house",
    "extension": "Extension of an existing contract",
    "grant": "Grant funding",
    "other": "Other route",
}
TYPE_WORDS = {
    "cabinet": "Cabinet",
    "cabinet-member": "Cabinet Member",
    "committee": "Committee",
    "officer": "Officer",
}
STATUS_WORDS = {
    "proposed": "Proposed",
    "for-determination": "For determination",
    "approved": "Approved",
    "called-in": "Called in",
    "referred-back": "Referred back",
    "withdrawn": "Withdrawn",
    "deferred": "Deferred",
}
IMPLICATION_WORDS = {
    "financial": "Financial", "legal": "Legal", "risk": "Risk", "staffing": "Staffing",
    "equality": "Equality", "children": "Children and young people", "climate": "Climate",
    "health": "Health and wellbeing", "procurement": "Procurement", "property": "Property",
    "other": "Other", "internal": "Internal", "external": "External",
    "consultation": "Consultation",
}
