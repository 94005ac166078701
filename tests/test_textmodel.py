"""The learned half of understanding: features, prediction without scikit-learn, training, the model file."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.train import Line, corpus_lines, train
from handlers.understanding.textmodel import MODEL_PATH, Head, Model, features, load_model
from handlers.understanding.understand import model_features


def test_features_are_character_ngrams_of_unit_length_plus_hints() -> None:
    found = features("买菜12", ("rule:intent=request",))
    grams = {name for name in found if not name.startswith("rule:")}
    assert {"买", "菜", "0", "^买", "菜0", "0$", "^买菜", "买菜0"} <= grams
    assert "12" not in "".join(grams)  # digits are folded to 0
    assert math.isclose(sum(found[g] ** 2 for g in grams), 1.0)
    assert found["rule:intent=request"] == 1.0
    assert "word:hello" in features("hello") and "word:help" not in features("hello")  # not a cry for help


def test_a_head_is_a_softmax_over_summed_weights() -> None:
    head = Head(("a", "b"), np.array([0.0, 0.0]), np.array([[2.0, 0.0], [0.0, 1.0]]))
    model = Model({"x": 0, "y": 1}, head, head, head, head)
    probs = model.predict({"x": 1.0, "unknown": 5.0}).intent
    assert math.isclose(probs["a"], math.exp(2) / (math.exp(2) + 1))
    assert math.isclose(sum(probs.values()), 1.0)


def test_a_binary_head_has_one_score() -> None:
    head = Head(("normal", "urgent"), np.array([0.0]), np.array([[3.0]]))
    model = Model({"急": 0}, head, head, head, head)
    assert model.predict({"急": 1.0}).urgency["urgent"] > 0.95
    assert math.isclose(model.predict({}).urgency["urgent"], 0.5)


def _tiny_corpus() -> list[Line]:
    def line(text: str, intent: str, category: str | None = None, urgency: str | None = None) -> Line:
        expect = {"intent": intent, "category": category, "urgency": urgency, "when": None}
        return Line(text, "2026-12-06T10:00:00+08:00", expect)

    return [
        line("谁能帮我买点菜", "request", "shopping", "normal"),
        line("急 谁能马上帮我买药", "request", "medicine", "urgent"),
        line("有人能帮我修下水管吗", "request", "repair", "normal"),
        line("我会修水管 有需要找我", "offer", "repair"),
        line("周末有空 需要帮忙喊我", "offer", None),
        line("张奶奶摔倒了起不来", "emergency", urgency="urgent"),
        line("楼道里好大的烟", "emergency", urgency="urgent"),
        line("好的", "other"),
        line("谢谢大家", "other"),
        line("明天停水通知", "other"),
    ]


def test_training_is_reproducible_and_the_file_round_trips(tmp_path: Path) -> None:
    first = train(_tiny_corpus(), model_features)
    second = train(_tiny_corpus(), model_features)
    first.save(tmp_path / "a.zip")
    second.save(tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    again = Model.load(tmp_path / "a.zip")
    assert np.array_equal(again.stacked, np.round(first.stacked, 4))  # weights kept to 4 decimals
    probe = model_features("谁能帮我买菜")
    ours, theirs = again.predict(probe).intent, first.predict(probe).intent
    assert ours.keys() == theirs.keys()
    assert max(ours.items(), key=lambda kv: kv[1])[0] == "request"
    assert set(again.category.classes) >= {"shopping", "none"}


_TRAIN_TINY = """
import sys
from pathlib import Path
from tests.test_textmodel import _tiny_corpus
from bot.train import train
from handlers.understanding.understand import model_features
train(_tiny_corpus(), model_features).save(Path(sys.argv[1]))
"""


def test_training_gives_the_same_file_whatever_the_string_hashing(tmp_path: Path) -> None:
    # Features come from sets, whose order follows PYTHONHASHSEED; the file must not.
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", _TRAIN_TINY, str(tmp_path / f"{seed}.zip")],
            check=True,
            env=env,
            cwd=Path(__file__).resolve().parent.parent,
        )
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()


def test_the_committed_model_is_small_and_was_trained_on_the_corpus() -> None:
    assert MODEL_PATH.stat().st_size < 10_000_000
    model = load_model()
    training = [line for line in corpus_lines() if not line.validation]
    assert model.trained_on.startswith(f"{len(training)} lines"), "run `make model` after changing the corpus"
    assert set(model.intent.classes) == {"request", "offer", "emergency", "other"}


def test_an_old_model_format_is_refused_with_the_fix_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="make model"):
        Model.from_parts({"format": 3, "heads": {}}, np.zeros((0, 0)))
    (tmp_path / "model.json.gz").write_bytes(b"\x1f\x8b\x08\x00")  # the gzipped JSON of format 3
    with pytest.raises(ValueError, match="make model"):
        Model.load(tmp_path / "model.json.gz")


def test_the_split_never_moves_a_line() -> None:
    lines = corpus_lines()
    validation = [line for line in lines if line.validation]
    assert 0.12 < len(validation) / len(lines) < 0.28
    assert all(Line(v.text, "", {}).validation for v in validation)
