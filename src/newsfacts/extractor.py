"""The extraction API: articles in, ``ArticleFacts`` out, one article's failure never stopping the rest."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from importlib.resources import files

from .dates import parse_published
from .errors import EmptyArticle, InputError, NewsfactsError, NotEnglish, message
from .ingest.text import INVALID_CHARS, normalize_newlines
from .model import Article, ArticleFacts, Failure
from .nlp import BATCH_CHARS, annotate, load, model_id
from .options import MIN_CHARS_FOR_LANGUAGE, Options
from .pipeline import extract_doc

log = logging.getLogger(__name__)

_LANGUAGE_SAMPLE = 2000
"""Characters given to the language identifier: a few paragraphs decide as well as the whole text."""


class Extractor:
    """Extracts facts from articles with one loaded model and one set of options.

    Example:
        >>> ex = Extractor(Options(published="2021-12-09"))
        >>> facts = ex("The Pentagon announced on Thursday that ...")
    """

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()

    @cached_property
    def nlp(self):
        """The spaCy pipeline, loaded once (and cached per process by ``nlp.load``)."""
        return load(self.options.model)

    @property
    def model(self) -> str:
        """``name-version`` of the model in use."""
        return model_id(self.nlp)

    def __call__(self, article: Article | str) -> ArticleFacts:
        """Extract one article (or a bare text).

        Raises:
            NewsfactsError: the article is empty, too large or not English.
        """
        if isinstance(article, str):
            article = Article(id="-", text=article)
        ready = self._prepared(article)
        doc = next(annotate(self.nlp, [ready.text]))
        return _extract_one(doc, ready)

    def run(self, items: Iterable[Article | Failure]) -> Iterator[ArticleFacts | Failure]:
        """Extract every article of ``items`` in order; bad items come out as ``Failure``.

        Parsing is batched (``Options.batch_size`` articles, at most ``nlp.BATCH_CHARS`` characters)
        and the input is consumed lazily, so memory does not grow with the corpus or with long articles.
        """
        batch: list[Article | Failure] = []
        chars = 0
        for item in items:
            ready = self._checked(item) if isinstance(item, Article) else item
            batch.append(ready)
            chars += len(ready.text) if isinstance(ready, Article) else 0
            if len(batch) >= self.options.batch_size or chars >= BATCH_CHARS:
                yield from self._run_batch(batch)
                batch, chars = [], 0
        if batch:
            yield from self._run_batch(batch)

    def _checked(self, article: Article) -> Article | Failure:
        """The article ready to parse, or the ``Failure`` that says why it cannot be."""
        try:
            return self._prepared(article)
        except InputError as exc:
            return Failure(id=article.id, message=str(exc))

    def _prepared(self, article: Article) -> Article:
        """The article with defaults applied (publication date, language), checked for parsing.

        Raises:
            InputError: empty, longer than ``Options.max_chars``, or not English.
        """
        if INVALID_CHARS.search(article.text):  # an API caller's text, not read by ingest
            article = dataclasses.replace(article, text=normalize_newlines(article.text), sha256="")
        if not article.text.strip():
            raise EmptyArticle(path=article.id)
        if len(article.text) > self.options.max_chars:
            raise InputError("E108", path=article.id, size=len(article.text), limit=self.options.max_chars)
        language = article.language
        if self.options.check_language and len(article.text.strip()) >= MIN_CHARS_FOR_LANGUAGE:
            language = detect_language(article.text)
            if language != "en":
                raise NotEnglish(language=language, path=article.id)
        published = article.published or self.options.published
        return dataclasses.replace(article, published=published, language=language)

    def _run_batch(self, batch: list[Article | Failure]) -> Iterator[ArticleFacts | Failure]:
        articles = [a for a in batch if isinstance(a, Article)]
        try:
            docs = list(annotate(self.nlp, (a.text for a in articles), batch_size=self.options.batch_size))
        except Exception:
            log.debug("batch parse failed; parsing its articles one by one", exc_info=True)
            docs = [self._parsed_alone(a) for a in articles]
        parsed = dict(zip((id(a) for a in articles), docs))
        for item in batch:
            doc = item if isinstance(item, Failure) else parsed[id(item)]  # a Doc, or why there is none
            yield doc if isinstance(doc, Failure) else _extract_one(doc, item)

    def _parsed_alone(self, article: Article):
        """One article parsed on its own, or the ``Failure`` saying why the parser refused it."""
        try:
            return next(annotate(self.nlp, [article.text]))
        except Exception as exc:
            log.debug("parsing %s failed", article.id, exc_info=True)
            return _extraction_failure(article, exc)


def _extract_one(doc, article: Article) -> ArticleFacts | Failure:
    """The per-article boundary: the only place where an extraction error is caught and recorded."""
    errors: tuple[str, ...] = ()
    try:
        published = parse_published(article.published, path=article.id)
    except NewsfactsError as exc:
        published, errors = None, (str(exc),)
    try:
        return extract_doc(doc, article, published, errors=errors)
    except Exception as exc:
        log.debug("extraction failed for %s", article.id, exc_info=True)
        return _extraction_failure(article, exc)


ENGLISH_MIN_PROBABILITY = 0.01
"""An identifier's English probability from which a text counts as English although another language
ranks first: on short texts (headlines, one sentence naming foreign people) the identifier's first
guess is often wrong, while a real French or German sentence gives English under 1e-4."""

ENGLISH_MIN_FUNCTION_SHARE = 0.10
"""Share of English function words from which a text counts as English whatever the identifier says:
at least 0.086 in every PolNeAR article (0.3 typical), 0 in the French, German, Spanish, Dutch,
Italian, Portuguese, Swedish and Polish sentences of the tests."""


def _extraction_failure(article: Article, exc: Exception) -> Failure:
    """The E301 record of an article the parser or an extractor failed on."""
    return Failure(id=article.id, message=message("E301", path=article.id, reason=f"{type(exc).__name__}: {exc}"))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, identified offline (py3langid ships its model).

    English wins whenever the evidence for it is not negligible: rejecting an English article loses
    it, while a foreign article that slips through only yields few facts. On 5,000 PolNeAR sentences
    the identifier alone rejects 26 (0.5 %); with this rule, those left have almost no word in them
    (bylines, lists of names).
    """
    sample = text[:_LANGUAGE_SAMPLE]
    ranked = _language_identifier().rank(sample)
    best = ranked[0][0]
    if best == "en":
        return best
    english = next(float(p) for lang, p in ranked if lang == "en")
    if english >= ENGLISH_MIN_PROBABILITY or _english_function_share(sample) >= ENGLISH_MIN_FUNCTION_SHARE:
        return "en"
    return best


@lru_cache(maxsize=1)
def _language_identifier():
    """py3langid's shipped model with normalized probabilities, loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _english_function_words() -> frozenset[str]:
    text = (files("newsfacts") / "data" / "english_function_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _english_function_share(text: str) -> float:
    """Share of the words of ``text`` that are English function words (0 for a text without words)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sum(w in _english_function_words() for w in words) / len(words) if words else 0.0


def extract(article: Article | str, *, published: str | None = None, options: Options | None = None) -> ArticleFacts:
    """Extract the facts of one article.

    Args:
        article: an ``Article`` or the article's plain text.
        published: publication date (ISO) when ``article`` is a bare text without one.
        options: model and limits; defaults to ``Options()``.

    Raises:
        NewsfactsError: the article is empty, too large, not English, or the date is malformed.

    Example:
        >>> facts = extract("The Pentagon announced on Thursday ...", published="2021-12-09")
        >>> facts.entities[0].name
        'Pentagon'
    """
    opts = options or Options()
    if published is not None:
        opts = dataclasses.replace(opts, published=published)
    return _extractor_for(opts)(article)


@lru_cache(maxsize=8)
def _extractor_for(options: Options) -> Extractor:
    """One Extractor per distinct Options, so repeated ``extract()`` calls reuse the loaded model."""
    return Extractor(options)
