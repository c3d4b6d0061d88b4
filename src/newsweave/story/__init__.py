"""Everything a story page says, computed from the articles of one story.

``build.fill_story`` is the entry point; it calls, in order: duplicates (``dedup``), entities and
quotes of the story, the comparison of outlets (``claims``, ``cite``, ``compare``), the summary
(``summarize``) and the timeline (``timeline``). ``sources`` says which articles count as
independent sources; every module that counts sources asks it.
"""

from newsweave.story.build import fill_story

__all__ = ["fill_story"]
