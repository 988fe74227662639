"""The hooks a regime plugin implements. One documented function per hook.

Every hook *collects* (none is ``firstresult``). With ``firstresult`` the plugin that
happens to run first would decide the law, and pluggy runs the last registered first:
registration order would become legal precedence. Instead every plugin in a regime's
manager answers, each answer names the rule that gave it, and the core resolves them
with what the rule catalogue declares (``overrides``: a rule replaced outright, e.g. by a
local amendment; ``exception_to``: a rule that gives way when an exception answers, e.g.
civil service p.8's direct-manager fallback). Two answers left standing that disagree
raise ``RuleConflict``.

Hooks that judge mentorships take the whole batch (a tenant's mentorships) so that a
sweep costs one hook call per tenant, not one per mentorship.

``ctx`` is a ``RuleContext``: the regime's rules and dated parameters, the tenant's
working calendar and settings, and the trace recorder (see ``core/context.py``).
"""

from __future__ import annotations

import pluggy

from . import PROJECT

hookspec = pluggy.HookspecMarker(PROJECT)


# --- what the regime is ---------------------------------------------------------------

@hookspec
def regime_info():
    """Return the regime's ``RegimeInfo``: id, titles and the act's citation in ru, kk and en,
    the country of its working calendar, the dates it is in force, its kinds of mentee and
    whether it has a council of mentors. Exactly one plugin of a regime answers."""


@hookspec
def amendment_info():
    """Return an amendment's ``AmendmentInfo``: the id of the regime it amends, its titles
    and the amending act's citation in ru, kk and en, and the day it takes effect. Only
    amendments (entry points in ``nastavnik.amendments``) answer; one that does may be
    chosen by a tenant of that regime (``tenant.amendments``), one that does not only
    layered in a scenario."""


@hookspec
def regime_rules():
    """Return the path of a rule catalogue (``rules.yaml``): every rule's id, paragraph,
    severity, title and message templates in ru, kk and en, and what it overrides or is
    an exception to. Amendments return their own catalogue beside the regime's."""


@hookspec
def regime_parameters():
    """Return the path of a parameter file (``parameters.yaml``): the regime's legal numbers,
    each with its paragraph and dated values. An amendment may add dated values to a
    regime's parameter, which is how an amended number takes effect from its date."""


@hookspec
def settings_schema():
    """Return the JSON Schema (an object schema) of the tenant settings the plugin accepts,
    or None. Schemas of a regime and its amendments are combined with ``allOf``."""


@hookspec
def person_schema():
    """Return the JSON Schema of the person attributes the regime reads (service start,
    position level, assessment, penalties, category, reserve membership...)."""


@hookspec
def mentorship_schema():
    """Return the JSON Schema (an object schema) of the facts the regime reads about a
    mentorship beyond the core's (e.g. a head's decision that is its ground, a trainee's
    internship end), or None. Kept in ``Mentorship.attributes``; a property carries
    ``x-title`` (and ``x-help``, ``x-enum-titles``) in ru, kk and en for the forms, and
    ``x-aliases`` for older scenario keys. Optional; schemas of a regime and its
    amendments are combined with ``allOf``."""


@hookspec
def assignment_schema():
    """Return the JSON Schema (an object schema) of the facts the regime reads about one
    mentor's assignment (e.g. the manager's submission, the mentor's consent), or None.
    Kept in ``Assignment.attributes``; labelled and combined as ``mentorship_schema``."""


# --- who is mentored, by whom, how many, how long -----------------------------------------

@hookspec
def mentee_coverage(ctx, case, mentorships):
    """For each mentorship, say whether its mentee is subject to mentorship under the regime
    and as what kind of mentee. Return a list of ``Coverage`` (one per mentorship, its
    ``person`` set to the mentorship id) and may record trace steps."""


@hookspec
def mentor_eligibility(ctx, case, candidacies):
    """Judge whether each ``Candidacy`` (mentor, mentee, kind, date, subject) may mentor.
    Return the list of ``Finding`` for the requirements a candidate fails, each with
    ``subject`` set to the candidacy's subject; a candidate with no violation is eligible.
    Record every requirement checked (passed or not) in ``ctx.trace``."""


@hookspec
def mentor_fallback(ctx, case, mentee, kind, on):
    """Exception rule for when no candidate is eligible on ``on``: return a ``Fallback``
    naming the person who is then assigned (e.g. the mentee's direct manager), or None.
    The core asks only when no eligible candidate exists; the fallback's rule declares
    ``exception_to`` the eligibility rules it sets aside."""


@hookspec
def mentor_capacity(ctx, on, mentor, case):
    """Return the ``CapacityLimit`` in force on ``on`` for ``mentor``: how many mentees
    they may have at once (limit None: no cap). ``mentor`` is the ``Person`` as they stood
    on ``on`` (a limit may depend on their position or role, e.g. "a head of a unit
    mentors one at most"), ``case`` the tenant's ``Case``; both are None when the limit
    in general is asked (a dashboard's heading). The core counts each mentor's load over
    date intervals and reports an excess under the limit's rule; the dashboard's loads
    and the suggestions' free places use the same answer.

    An implementation names only the arguments it reads (one of ``(ctx, on)`` gives one
    limit for everyone and is asked once per day). One that reads ``mentor`` must answer
    from the mentor's facts and the regime's dated parameters and settings only: the core
    asks once per mentor's version per period between two parameter changes."""


@hookspec
def mentorship_term(ctx, case, mentorships):
    """Return a ``Term`` per mentorship: its start and planned end (the last day,
    inclusive), absences taken into account where the regime says so."""


# --- what is due, what is wrong ------------------------------------------------------------

@hookspec
def mentorship_deadlines(ctx, case, mentorships, terms):
    """Return every ``Deadline`` the regime imposes on these mentorships: kind, the event
    it counts from, the due date under the counting conventions, when it was met, and
    the rule (paragraph) that imposes it. ``terms`` maps mentorship id to its ``Term``."""


@hookspec
def mentorship_findings(ctx, case, mentorships, terms):
    """Return the ``Finding`` list for the regime's checks on mentorships that are not
    eligibility or capacity: orders, consent, term length, grounds and gaps of
    replacement, papers' content. Missed deadlines are not findings: they are the
    ``Deadline`` list's status."""


# --- the council of mentors ----------------------------------------------------------------

@hookspec
def council_findings(ctx, case, councils):
    """Return the ``Finding`` list for the composition of each council (size, parity,
    chair, members' qualification grounds, the approving order)."""


@hookspec
def council_deadlines(ctx, case, councils):
    """Return the ``Deadline`` list a regime imposes on councils (e.g. the first meeting)."""


@hookspec
def meeting_outcome(ctx, council, meeting):
    """Return the ``MeetingOutcome`` of one meeting: quorum, and for every agenda item the
    votes and whether the decision was adopted (and whether the chair broke a tie)."""


# --- the papers ------------------------------------------------------------------------------

@hookspec
def regime_papers():
    """Return the path of a paper catalogue (``documents/papers.yaml``): the papers the
    regime names (orders, programmes or plans, reports, references, minutes), each with
    what it is about (a mentorship or a council meeting), its paragraph and title in ru,
    kk and en; which a mentorship records as done (``recorded``), which have no template
    (``printable: false``) and the ``fields`` schema of a record; and the regime's
    ``deadline_kinds``, ``events`` and ``end_reasons`` with labels (core/papers.py). Its
    templates (``<paper>.<lang>.docx`` or ``.yaml``) lie beside it. Optional: a regime
    without it has no papers to print or record."""


# --- work standards --------------------------------------------------------------------------

@hookspec
def work_standards(ctx):
    """Return the regime's ``WorkStandards`` (``core/workload.py``) if it keeps work
    standards (time norms per action against which work is recorded), else None: the act
    and its citation, the rule explaining each figure (normative time, working time, load,
    compliance with result requirements, staff number, approval of a scheme), and the hours
    of a working day read from ``ctx.settings``. Optional; at most one plugin answers."""


# --- what a regime ships for trying it out and testing it ------------------------------------

@hookspec
def regime_scenarios():
    """Return the directory of the regime's scenarios (``*.yaml`` files, searched
    recursively; ``docs/scenarios.md``). ``nastavnik scenario run`` with no files and the
    rule-coverage check (``nastavnik.testing``) find every installed regime's scenarios
    through it. Optional; an amendment may return a directory of its own."""


@hookspec
def regime_demo():
    """Return the regime's demo tenant, a ``Demo`` (``core/samples.py``): the tenant's slug,
    name, locale and settings, and the story that fills it, told through the ``Story``
    ``nastavnik demo`` passes (dates counted from the as-of date, the services at hand).
    Optional: ``nastavnik demo`` says which regimes ship none."""


@hookspec
def synthetic_profile():
    """Return the regime's ``SyntheticProfile`` (``core/samples.py``): what its senior staff
    and new hires look like (their person attributes), the mentee kind, how long a
    mentorship lasts, the papers done at its start and end, a mentor's usual load and the
    tenant settings; and, for a regime with a council of mentors, the council
    (``SyntheticCouncil``: its members and when it hears a mentorship's reports).
    ``bench generate`` builds agency-scale bodies from it. Optional."""
