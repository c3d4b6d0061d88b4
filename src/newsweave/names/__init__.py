"""Names across a store: matching spellings (``match.py``), countries, cities and acronyms
(``aliases.py``), and the entity resolution that gives every mention and quote its entity
(``resolve.py``)."""
