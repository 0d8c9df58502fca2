"""What people call the read models' keys: sources, tiers, counts, schemes, facts.

The read models keep English keys (``street``, ``not_passed``, ``SubsidyDecided``);
the command line and the web show these words instead, each in its reader's language.
"""

from __future__ import annotations

from domain.messages import N_

SOURCES = {
    "lottery": N_("welfare-lottery fund"),
    "district": N_("district budget"),
    "street": N_("street budget"),
    "community": N_("community budget"),
    "social": N_("social funds"),
}
"""The "1+3+X" funding sources."""

TIERS = {
    "city": N_("city"),
    "district": N_("district"),
    "street": N_("street"),
    "community": N_("community"),
}

COUNTS = {
    "filed": N_("filed"),
    "registered_total": N_("registered"),
    "deregistered": N_("deregistered"),
    "revoked": N_("registration revoked"),
    "upgrades": N_("upgraded to registration"),
}
"""A roll-up row's organization counts (legal forms are named by ``LegalForm``)."""

SCHEMES = {
    "national": N_("national grade"),
    "class": N_("class rating"),
    "star": N_("star rating"),
}
"""The shipped grading schemes (``domain/data/grade_schemes.json``)."""

CLASSES = {
    "not_passed": N_("not passed"),
    "expired": N_("expired"),
    "ungraded": N_("ungraded"),
}
"""What a roll-up counts of an organization's grade besides the grade itself."""

FACT_TYPES = {
    "LedgerOpened": N_("ledger opened"),
    "OrganizationFiled": N_("filing"),
    "OrganizationRegistered": N_("registration"),
    "OrganizationUpgraded": N_("upgrade from filing to registration"),
    "OrganizationDeregistered": N_("deregistration"),
    "GradeEvaluated": N_("grade evaluation"),
    "SubsidyDecided": N_("subsidy decision"),
    "SubsidyRevoked": N_("subsidy revoked"),
    "FactCorrected": N_("correction"),
}
"""The facts a view holds about organizations."""

NETWORK_FACTS = {
    "PolicyAdopted": N_("policy adopted"),
    "ChildEnrolled": N_("child enrolled"),
    "Checkpoint": N_("checkpoint"),
    "BatchReceived": N_("batch received"),
    "ForkDetected": N_("fork detected"),
    "ForkResolved": N_("fork resolved"),
}
"""The facts a node records about itself and its network."""
