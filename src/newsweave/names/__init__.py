"""Names across a store: matching spellings (``match.py``), countries, cities and acronyms
(``aliases.py``), and the entity resolution that gives every mention and quote its entity
(``resolve.py``)."""

from newsweave.names.match import names_match
from newsweave.names.resolve import resolve_entities

__all__ = ["names_match", "resolve_entities"]
