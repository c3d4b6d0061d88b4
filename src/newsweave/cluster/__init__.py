"""Stories from analysed articles: the clusterer, its features and state, and the indexes it keeps.

``StoryClusterer`` (``clusterer.py``) is online: ``add`` takes new articles, ``stories`` gives the
current stories. ``neighbours.py`` keeps each article's closeness to its nearest reports, and
``happening.py`` is the trained same-happening judge the clusterer cuts stories with.
"""

from newsweave.cluster.clusterer import StoryClusterer, cluster_stories

__all__ = ["StoryClusterer", "cluster_stories"]
