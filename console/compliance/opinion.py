"""The second opinion: a linear model over character n-grams that reads each sentence as a whole.

The rules catch what can be listed; a claim said without any listed word
(这支精华放眼整个圈子都找不出对手) gets through them, and a listed word used
innocently can stop a clean sentence. The second opinion is trained on the
labelled corpus's tuning part (``tests/compliance/train_opinion.py``; never on
a hold-out) and scores each sentence for each category. The checker then:

* **adds** a ``block`` finding over a sentence whose score for a category is
  above that category's threshold when no rule blocks the sentence for it
  (not for ``price``: whether a price is misleading is a matter of the
  product's facts, which the model does not see), nor to a question, a
  sentence that disclaims, will not vouch or disowns what it says (the model
  reads words, not what a negation does to them), a sentence where a rule's
  words for that category were cleared by their context (天花板 as a real
  ceiling), or one that says what settles it (a recovery credited to a
  doctor's medicine, the next batch coming);
* **lowers** to a warning a rule's block in a sentence whose n-grams, the
  bias left out, speak against that category: the words themselves read
  clean (a sentence the model knows little of, a new way of saying a claim
  that a rule was written for, is not lowered); never the checks against
  the product's facts or the contact checks (prices, stock, phone numbers,
  WeChat and QQ ids), whose findings stand on facts, not on wording.

Features are the counts of the characters and the 2- and 3-character
n-grams of the normalised sentence that do not cross a sentence stop, each n-gram hashed to 64 bits;
a sentence's score is the bias plus the sum of its n-grams' weights. The
hashing, done with numpy over the whole text at once, is shared by training
and checking, so both see the same features; a 5,000-character script is
scored in about 0.6 ms (0.4 ms before the characters were added).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from console.compliance.findings import CATEGORIES
from console.i18n import Message, msg

MODEL_PATH = Path(__file__).with_name("packs") / "default.opinion.npz"
# The checker's sentence stops (checker.SENTENCE_STOPS, which imports this module): n-grams never cross them.
SENTENCE_STOP_CHARS = "。！？!?；;\n"
# Categories the model may add a finding for: not price (the facts decide it).
ADDS = frozenset(CATEGORIES) - {"price"}
# Built-in checks whose findings the model never lowers: they are judged on the product's facts or are contacts.
KEEPS = frozenset({"price_reference", "live_price", "stock_claim", "discount", "phone", "wechat_id", "qq_id"})

_PRIME = np.uint64(0x100000001B3)
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
# The vocabulary is looked up by the top bits of a hash: where each bucket of them starts in the sorted hashes.
_BUCKET_BITS = 18
_BUCKET_SHIFT = np.uint64(64 - _BUCKET_BITS)
_IS_STOP = np.zeros(0x10000, dtype=bool)
_IS_STOP[[ord(c) for c in SENTENCE_STOP_CHARS]] = True
# +1 for a Chinese character, -1 for a Latin letter: a sentence whose sum is not above 0 is mostly Latin.
_SCRIPT = np.zeros(0x10000, dtype=np.int8)
_SCRIPT[0x3400:0xA000] = 1
_SCRIPT[ord("a"):ord("z") + 1] = -1


def codes(text: str) -> np.ndarray:
    """The text's code points as unsigned 64-bit integers."""
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


def stop_mask(points: np.ndarray) -> np.ndarray:
    """Whether each character ends a sentence."""
    return np.take(_IS_STOP, _clipped(points))


def _clipped(points: np.ndarray) -> np.ndarray:
    """The code points as indices into the tables of the first 65,536 (those beyond read as the last)."""
    return np.minimum(points, np.uint64(0xFFFF)).astype(np.intp)


def sentence_ids(points: np.ndarray, stops: np.ndarray | None = None) -> np.ndarray:
    """For each character, the index of its sentence; a stop belongs to the sentence it ends."""
    stops = stop_mask(points) if stops is None else stops
    ids = np.cumsum(stops)
    ids -= stops   # (a stop's own count taken off: it belongs to the sentence before it)
    return ids


def ngrams(points: np.ndarray, stops: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, start positions) of every character and every 2- and 3-gram that holds no sentence stop.

    A 3-gram's hash goes on from its 2-gram's; each is then multiplied by a large odd constant, so that its top
    bits, by which the vocabulary is looked up, depend on every character. The characters alone (治, 瘦, 涨)
    carry what a claim said in words no 2- or 3-gram of the tuning part has is about.
    """
    stops = stop_mask(points) if stops is None else stops
    length = len(points)
    if length < 2:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    with np.errstate(over="ignore"):
        pairs = points[:-1] * _PRIME + points[1:]
        triples = pairs[:-1] * _PRIME + points[2:]
        clear = ~stops
        clear_pairs = clear[:-1] & clear[1:]
        clear_triples = clear_pairs[:-1] & clear[2:]
        one = (points + _LENGTH_MIX) * _MIX
        two = (pairs + _LENGTH_MIX * np.uint64(2)) * _MIX
        three = (triples + _LENGTH_MIX * np.uint64(3)) * _MIX
    return (np.concatenate((one[clear], two[clear_pairs], three[clear_triples])),
            np.concatenate((np.nonzero(clear)[0], np.nonzero(clear_pairs)[0], np.nonzero(clear_triples)[0])))


@dataclass(frozen=True, eq=False)
class Opinion:
    """A trained second opinion: sorted n-gram hashes, their weights per category, the bias and the thresholds."""

    hashes: np.ndarray          # (V,) uint64, sorted
    weights: np.ndarray         # (V, 6) float32, in CATEGORIES order
    bias: np.ndarray            # (6,)
    adds_above: np.ndarray      # (6,) a score above this adds a finding
    lowers_below: np.ndarray    # (6,) a rule's block in a sentence scored below this becomes a warning
    trained_on: str             # the sha256 of the tuning part it was trained on

    def __post_init__(self) -> None:
        edges = np.arange(2 ** _BUCKET_BITS, dtype=np.uint64) << _BUCKET_SHIFT
        # Where each bucket starts, and where the last one ends (its edge, 2**64, has no uint64).
        starts = np.append(np.searchsorted(self.hashes, edges), len(self.hashes))
        object.__setattr__(self, "_starts", starts.astype(np.int32))
        object.__setattr__(self, "_deepest", int(np.max(np.diff(self._starts))) if len(self.hashes) else 0)
        # Each bucket's first entry and its size, and the hashes with room after the last for a bucket's probes
        # (what is read there never counts: a probe counts only inside its bucket).
        object.__setattr__(self, "_firsts", self._starts[:-1].copy())
        object.__setattr__(self, "_sizes", np.diff(self._starts).astype(np.int32))
        object.__setattr__(self, "_padded", np.append(self.hashes, np.zeros(1, dtype=self.hashes.dtype)))

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which of ``hashes`` are in the vocabulary, their rows): a bucket's few entries tried in turn."""
        bucket = (hashes >> _BUCKET_SHIFT).astype(np.intp)
        first = np.take(self._firsts, bucket)
        size = np.take(self._sizes, bucket)
        # Most buckets hold no entry or one: the first probe everywhere at once, each further one only where the
        # bucket is deep enough.
        hit = np.take(self._padded, first) == hashes
        hit &= size > 0
        rows = np.where(hit, first, -1)
        deeper = np.flatnonzero(size > 1)
        for k in range(1, self._deepest):
            if not len(deeper):
                break
            probe = np.take(first, deeper) + k
            found = np.take(self._padded, probe) == np.take(hashes, deeper)
            rows[deeper[found]] = probe[found]
            deeper = deeper[np.take(size, deeper) > k + 1]
        known = rows >= 0
        return known, rows[known]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Opinion:
        with np.load(path, allow_pickle=False) as data:
            return cls(data["hashes"], data["weights"], data["bias"], data["adds_above"], data["lowers_below"],
                       str(data["trained_on"]))

    def save(self, path: Path) -> None:
        with open(path, "wb") as out:
            np.savez_compressed(out, hashes=self.hashes, weights=self.weights, bias=self.bias,
                                adds_above=self.adds_above, lowers_below=self.lowers_below,
                                trained_on=np.array(self.trained_on))

    def scores(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(sentence index of each character, a (sentences, 6) array of scores) for normalised ``text``.

        A sentence mostly in Latin letters scores 0 for every category, neither adding nor lowering anything:
        the model was trained on Chinese and has little to go on there.
        """
        points = codes(text)
        clipped = _clipped(points)
        stops = np.take(_IS_STOP, clipped)
        ids = sentence_ids(points, stops)
        count = int(ids[-1]) + 1 if len(ids) else 0
        width = len(self.bias)
        total = np.tile(self.bias.astype(np.float64), (count, 1))
        chinese_less_latin = np.bincount(ids, weights=np.take(_SCRIPT, clipped), minlength=count)
        hashes, starts = ngrams(points, stops)
        if len(hashes) and len(self.hashes):
            known, found = self.lookup(hashes)
            # One sum for every (sentence, category) cell: the cell of each known n-gram's weight for each.
            cells = (np.take(ids, starts[known])[:, None] * width + np.arange(width)).ravel()
            total += np.bincount(cells, weights=np.take(self.weights, found, axis=0).ravel(),
                                 minlength=count * width).reshape(count, width)
        total[chinese_less_latin <= 0] = 0.0
        return ids, total


_LOADED: Opinion | None = None


def default_opinion() -> Opinion:
    """The second opinion shipped with the console, loaded once."""
    global _LOADED
    if _LOADED is None:
        _LOADED = Opinion.load()
    return _LOADED


# What each category is, for the second opinion's messages.
CATEGORY_NAMES = {
    "absolute": msg("compliance.opinion.absolute", "an absolute or superlative claim"),
    "medical": msg("compliance.opinion.medical", "a medical claim"),
    "guarantee": msg("compliance.opinion.guarantee", "a promise of an effect or result"),
    "price": msg("compliance.opinion.price", "a misleading price"),
    "scarcity": msg("compliance.opinion.scarcity", "invented scarcity or urgency"),
    "off_platform": msg("compliance.opinion.off_platform", "steering viewers off the platform"),
}


def added_message(category: str) -> Message:
    return msg("compliance.opinion_added",
               "This sentence reads as {kind}, though no rule names its words: say it another way, or have a "
               "store manager decide.", kind=CATEGORY_NAMES[category])


def lowered_message(message: Message) -> Message:
    return msg("compliance.opinion_lowered",
               "{message} Read as a whole, the sentence makes no such claim, so this only warns: read it once more.",
               message=message)


def added_suggestion() -> Message:
    return msg("compliance.opinion_suggestion", "Say what the product is and does, plainly, without the claim.")
