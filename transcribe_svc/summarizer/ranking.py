"""Rank candidate sentences and pick a non-redundant set of bullets.

Centrality is LexRank: PageRank over the TF-IDF cosine-similarity graph of the sentences, so a
sentence matters when others talk about the same things. Selection is Maximal Marginal
Relevance with a hard cap on similarity to what is already chosen.

Sentences are short, so their TF-IDF vectors are kept sparse (term -> weight) and similarities
come from an inverted index. That is also why no BLAS matrix product appears here: on a busy
two-core host OpenBLAS's threads cost more than the whole summary.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Vector = dict[str, float]
Scores = npt.NDArray[np.float64]

_DAMPING = 0.85
_MAX_ITERATIONS = 100
_TOLERANCE = 1e-9
# Past this many sentences the full similarity graph costs more than it adds; similarity to the
# document centroid (the centroid method) ranks nearly the same at linear cost.
_GRAPH_LIMIT = 300
MMR_LAMBDA = 0.7
REDUNDANCY_LIMIT = 0.5


class SentenceVectors:
    """L2-normalized TF-IDF vectors of sentences, with an inverted index for dot products."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        document_frequency = Counter(term for terms in documents for term in set(terms))
        n = len(documents)
        self.vectors: list[Vector] = []
        for terms in documents:
            weights = {
                term: count * (math.log((1 + n) / (1 + document_frequency[term])) + 1)
                for term, count in Counter(terms).items()
            }
            norm = math.sqrt(sum(w * w for w in weights.values()))
            self.vectors.append({t: w / norm for t, w in weights.items()} if norm else {})
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for index, vector in enumerate(self.vectors):
            for term, weight in vector.items():
                self._postings.setdefault(term, []).append((index, weight))

    def __len__(self) -> int:
        return len(self.vectors)

    def similarities(self, index: int) -> Scores:
        """Cosine similarity of sentence ``index`` to every sentence."""
        row = np.zeros(len(self.vectors))
        for term, weight in self.vectors[index].items():
            for other, other_weight in self._postings[term]:
                row[other] += weight * other_weight
        return row

    def centroid_similarities(self) -> Scores:
        centroid: Counter[str] = Counter()
        for vector in self.vectors:
            centroid.update(vector)
        return np.array([sum(w * centroid[t] for t, w in v.items()) for v in self.vectors])


def centrality(vectors: SentenceVectors) -> Scores:
    """Each sentence's centrality, scaled so the most central is 1."""
    n = len(vectors)
    if n == 0:
        return np.zeros(0)
    if n > _GRAPH_LIMIT:
        scores = vectors.centroid_similarities()
    else:
        similarity = np.array([vectors.similarities(i) for i in range(n)])
        np.fill_diagonal(similarity, 0.0)
        row_sums = similarity.sum(axis=1, keepdims=True)
        # A sentence that shares nothing links to every sentence equally (a random jump).
        safe_sums = np.where(row_sums > 0, row_sums, 1.0)
        transition = np.where(row_sums > 0, similarity / safe_sums, 1.0 / n)
        scores = np.full(n, 1.0 / n)
        for _ in range(_MAX_ITERATIONS):
            # Element-wise rather than a matrix-vector product: see the module docstring.
            updated = (1.0 - _DAMPING) / n + _DAMPING * (transition * scores[:, None]).sum(axis=0)
            converged = float(np.abs(updated - scores).sum()) < _TOLERANCE
            scores = updated
            if converged:
                break
    top = float(scores.max())
    return scores / top if top > 0 else np.ones(n)


def select(scores: Sequence[float], vectors: SentenceVectors, count: int) -> list[int]:
    """Indices of up to ``count`` sentences chosen by MMR, returned in document order."""
    chosen: list[int] = []
    relevance = np.asarray(scores, dtype=np.float64)
    available = np.ones(len(relevance), dtype=bool)
    redundancy = np.zeros(len(relevance))
    while len(chosen) < count and available.any():
        if chosen:
            redundancy = np.maximum(redundancy, vectors.similarities(chosen[-1]))
            available &= redundancy <= REDUNDANCY_LIMIT
            if not available.any():
                break
        marginal = MMR_LAMBDA * relevance - (1.0 - MMR_LAMBDA) * redundancy
        # argmax takes the first maximum, so ties go to the earlier sentence: deterministic.
        best = int(np.argmax(np.where(available, marginal, -np.inf)))
        chosen.append(best)
        available[best] = False
    return sorted(chosen)
