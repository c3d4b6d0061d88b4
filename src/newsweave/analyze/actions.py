"""What a report says happened: the main action of its headline and of its first sentence.

Two reports of one subject on consecutive days (an FDA panel's vote and the FDA's authorisation
days later; a drug maker's trial results and its request for approval) share nearly every word
and name; what differs is who did what. News puts that in the lead's main clause, so each of the
headline and the first sentence gives its main verb, the verb's subject (a name as written, or a
noun with its compound modifiers), the pair of them, and the verb with its object. A reporting
verb ("Pfizer said its vaccine was safe") gives way to the clause it reports. The keys are
compared between reports by the same-happening judge (``newsweave.cluster``).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsweave.vocab import stem

# the verbs that report speech: the action is in the clause they govern, not in the speaking
_REPORTING = frozenset(
    stem(w) for w in ("say", "tell", "report", "announce", "state", "add", "note", "write", "claim", "insist")
)
_SUBJECTS = ("nsubj", "nsubjpass")
_OBJECTS = ("dobj", "xcomp")


def lead_actions(headline: Span | None, first_sentence: Span | None) -> list[str]:
    """The action keys of a report: ``v:`` verb, ``s:`` subject, ``sv:`` both, ``vo:`` verb and
    object, for the main clause of the headline and of the first sentence (either may be None)."""
    keys: list[str] = []
    for sentence in (headline, first_sentence):
        if sentence is not None:
            keys += clause_actions(sentence)
    return keys


def clause_actions(sentence: Span) -> list[str]:
    """The action keys of one sentence's main clause; none when its root is no verb (a headline
    that is a noun phrase: "Vaccine Sales Lift" parsed as one)."""
    verb = _main_verb(sentence.root)
    if verb is None:
        return []
    action = stem(verb.text)
    keys = [f"v:{action}"]
    for child in verb.children:
        if child.dep_ in _SUBJECTS and child.pos_ != "PRON":
            subject = _subject_name(child)
            keys += [f"s:{subject}", f"sv:{subject}|{action}"]
        elif child.dep_ in _OBJECTS:
            keys.append(f"vo:{action}|{stem(child.text)}")
    return keys


def _main_verb(root: Token) -> Token | None:
    if stem(root.text) in _REPORTING:
        reported = [c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")]
        if reported:
            root = reported[0]
    return root if root.pos_ in ("VERB", "AUX") else None


def _subject_name(token: Token) -> str:
    """A subject as it names someone: the named entity it belongs to, else the noun with its
    compound modifiers ("FDA panel"), lower-cased, without a leading "the"."""
    entity = (
        next((e for e in token.doc.ents if e.start <= token.i < e.end), None) if token.ent_type_ else None
    )
    if entity is not None:
        words = [t.text.lower() for t in entity if not (t.i == entity.start and t.lower_ == "the")]
        return " ".join(words)
    modifiers = [t.text.lower() for t in token.lefts if t.dep_ == "compound"]
    return " ".join([*modifiers, stem(token.text)])
