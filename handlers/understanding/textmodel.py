"""The learned half of understanding: linear models over a message's character n-grams.

`make model` trains them with scikit-learn from ``corpus/lines/`` (``bot/train.py``) and writes
``handlers/understanding/data/model.zip``: ``model.json`` (vocabulary, classes, intercepts) and
``weights.npy`` (a NumPy array); here they are read back without scikit-learn, so a prediction is
a sum of weights per class followed by a softmax — nothing a reader can't follow.
The same :func:`features` feeds training and prediction, so the two can never drift apart.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["HINT", "MODEL_PATH", "NO_CATEGORY", "Head", "Model", "Prediction", "features", "load_model"]

MODEL_PATH = Path(__file__).parent / "data" / "model.zip"
FORMAT = 4
WEIGHT_SCALE = 10_000
"""Weights are kept to 4 decimals, stored as whole numbers of 1/10,000: exact, small once zipped, and
read in milliseconds where two million numbers in JSON took most of a second of start-up."""
HINT = "rule:"
"""Prefix of features that come from hand-made rules rather than the text's n-grams."""
NO_CATEGORY = "none"
"""The category head's class for an offer of general time with no skill named."""
NGRAM_SIZES = (1, 2, 3)
HEADS = ("emergency", "intent", "category", "urgency")
"""The heads in the order their weights sit side by side (``Model.stacked``, the file's weights)."""

_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[a-z][a-z']+")
WORD = "word:"
"""Prefix of a whole-word feature."""


def features(body: str, hints: Iterable[str] = ()) -> dict[str, float]:
    """Character 1–3-grams of folded text (digits as 0, spaces as one), whole Latin words, and the
    rules' hints.

    N-grams and words share one unit length (a long message weighs no more than a short one);
    English words stand whole so "hello" shares nothing with "help". Each hint (``rule:…``)
    counts 1, so a rule's verdict keeps its weight whatever the message's length.
    """
    text = "^" + _SPACE_RE.sub(" ", _DIGITS_RE.sub("0", body.strip())) + "$"
    grams: set[str] = set()
    for size in NGRAM_SIZES:
        grams.update(text[i : i + size] for i in range(len(text) - size + 1))
    grams.update(WORD + word for word in _WORD_RE.findall(text))
    grams.discard("^")
    grams.discard("$")
    scale = 1.0 / math.sqrt(len(grams)) if grams else 0.0
    found = dict.fromkeys(grams, scale)
    for hint in hints:
        found[hint] = 1.0
    return found


@dataclass(frozen=True)
class Head:
    """One logistic regression: its classes, intercepts, and a row of class weights per feature."""

    classes: tuple[str, ...]
    intercepts: NDArray[np.float64]
    weights: NDArray[np.float64]  # one row per feature of the model's vocabulary, one column per score

    def probabilities(self, sums: NDArray[np.float64]) -> dict[str, float]:
        """Class → probability, from the summed feature weights of one message."""
        scores = self.intercepts + sums
        if len(self.classes) == 2 and scores.shape[0] == 1:  # binary: one score, for the second class
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, float(scores[0])))))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        exps = np.exp(scores - scores.max())
        probs = exps / exps.sum()
        return dict(zip(self.classes, probs.tolist(), strict=True))

    def to_json(self) -> dict[str, Any]:
        """Everything but the weights, which the model file keeps side by side in one array."""
        return {"classes": list(self.classes), "intercepts": [round(float(b), 4) for b in self.intercepts]}


@dataclass(frozen=True)
class Prediction:
    """Every head's probabilities for one message."""

    emergency: dict[str, float]
    intent: dict[str, float]
    category: dict[str, float]
    urgency: dict[str, float]


@dataclass
class Model:
    """The trained heads over one vocabulary.

    ``emergency`` (danger or not, every line), ``intent`` (request, offer, emergency, other),
    ``category`` (requests and offers) and ``urgency`` (requests). Their weights are also kept side
    by side, so one message is read with one sum over its features for all four heads.
    """

    vocabulary: Mapping[str, int]
    emergency: Head
    intent: Head
    category: Head
    urgency: Head
    trained_on: str = ""

    @property
    def heads(self) -> tuple[Head, Head, Head, Head]:
        """The heads in the order of :data:`HEADS`."""
        return (self.emergency, self.intent, self.category, self.urgency)

    def __post_init__(self) -> None:
        self.stacked = np.hstack([head.weights for head in self.heads])
        ends = np.cumsum([head.weights.shape[1] for head in self.heads]).tolist()
        self.columns = list(zip([0, *ends[:-1]], ends, strict=True))

    def predict(self, found: Mapping[str, float]) -> Prediction:
        """All four heads' probabilities for the features ``found`` in one message."""
        rows = np.fromiter(map(self.vocabulary.get, found, repeat(-1)), dtype=np.intp, count=len(found))
        known = rows >= 0  # features the training never saw weigh nothing
        values = np.fromiter(found.values(), dtype=np.float64, count=len(found))[known]
        sums = values @ self.stacked[rows[known]]
        return Prediction(
            *(head.probabilities(sums[a:b]) for head, (a, b) in zip(self.heads, self.columns, strict=True))
        )

    @classmethod
    def from_parts(cls, meta: Mapping[str, Any], weights: NDArray[np.float64]) -> Model:
        """The model from its file's ``model.json`` and its weights, one column per head's score."""
        if meta.get("format") != FORMAT:
            raise ValueError(f"model format {meta.get('format')!r}, expected {FORMAT}: run `make model`")
        heads: dict[str, Head] = {}
        start = 0
        for name in HEADS:
            data = meta["heads"][name]
            intercepts = np.array(data["intercepts"], dtype=np.float64)
            end = start + len(intercepts)
            heads[name] = Head(tuple(data["classes"]), intercepts, weights[:, start:end])
            start = end
        return cls(
            {str(name): row for row, name in enumerate(meta["vocabulary"])},
            heads["emergency"],
            heads["intent"],
            heads["category"],
            heads["urgency"],
            str(meta.get("trained_on", "")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "trained_on": self.trained_on,
            "vocabulary": list(self.vocabulary),
            "heads": {name: head.to_json() for name, head in zip(HEADS, self.heads, strict=True)},
        }

    def save(self, path: Path = MODEL_PATH) -> None:
        """Writes the model file, byte-for-byte the same for the same model (no timestamps in it)."""
        meta = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        weights = np.rint(self.stacked * WEIGHT_SCALE)
        if np.abs(weights).max(initial=0) >= 2**31:
            raise ValueError("a weight too large for the model file")
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_entry("model.json"), meta.encode("utf-8"))
            with archive.open(_entry("weights.npy"), "w") as out:
                np.lib.format.write_array(out, weights.astype("<i4"), allow_pickle=False)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        """Reads a file written by :meth:`save`."""
        try:
            with zipfile.ZipFile(path) as archive:
                meta = json.loads(archive.read("model.json"))
                with archive.open("weights.npy") as raw:
                    weights = np.load(raw, allow_pickle=False) / WEIGHT_SCALE
        except (zipfile.BadZipFile, KeyError) as exc:  # e.g. the gzipped JSON of format 3
            raise ValueError(f"{path} is not a model file of format {FORMAT}: run `make model`") from exc
        return cls.from_parts(meta, weights)


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip member dated 1980-01-01, so the same model always gives the same file."""
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> Model:
    """Reads the committed model once per process."""
    return Model.load(path)
