"""newsweave: many outlets' articles in, stories out.

The library is the product; the CLI and the web app are thin layers over it::

    from newsweave import Config, open_store, pipeline
    with open_store("news.db") as store:
        digest, report = pipeline.digest(["examples/"], Config(), store)
"""

from newsweave.config import Config, load_config
from newsweave.store import open_store

__version__ = "0.1.0"
__all__ = ["Config", "load_config", "open_store", "__version__"]
