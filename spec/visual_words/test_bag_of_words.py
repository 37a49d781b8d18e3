"""The bag-of-visual-words histogram: bag_of_words(descriptors, vocabulary, normalized=False) -> shape (k,).

Entry j counts the descriptors (rows of the (M, D) matrix, CS231n's [number_of_features x 144]) whose nearest word is
vocabulary[j], a tie going to the lowest index; normalized, it is the fraction (count / M). So it sums to M (or 1),
and the order of the descriptors does not matter.

Floating point: a count is a whole number, exact by any route; which word is nearest is exact too, except for a
descriptor nearly equidistant from two words, where the rounding of the distances (on the scale of ||x||^2 by the
expansion ||x||^2 - 2 x.w + ||w||^2, see common.py) may go either way. The properties that name the nearest word
draw descriptors without such near-ties, or small integers, where every distance is exact and ties are exact.
A fraction c / M is within M u of its value (u = EPS / 2) whether computed as one division, as c * (1 / M), or as a
sum of c terms 1 / M.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.property import alternative, mutant, prop
from spec.visual_words.common import (
    HOG_SIZE,
    LECTURE,
    histogram,
    images,
    integer_images,
    squared_distances,
    too_close_to_call,
    vocabularies,
)

CONCEPT = "bag of visual words"

# The worked example, in the lecture's shape: descriptors of 144 numbers (HOG of a 32x32 patch: 4 x 4 cells of 8x8
# pixels, 9 orientation bins each) against a vocabulary of 4 visual words:
#   w0 = 0 (a flat patch), w1 = 0.5 everywhere, w2 = 1 in bin 0 of each of the 16 cells (one edge orientation,
#   0 elsewhere), w3 = 1 in bin 4 of each cell.
# Five descriptors, their squared distances to w0..w3 by hand (16 cells, 144 entries):
#   d0 = 0.1 everywhere: 1.44, 23.04, 16*0.81 + 128*0.01 = 14.24, 14.24          -> w0
#   d1 = w2 exactly: 16, 36 (16*0.25 + 128*0.25), 0, 32                          -> w2
#   d2 = 0.8 w3: 10.24, 16*0.09 + 128*0.25 = 33.44, 10.24 + 16 = 26.24, 16*0.04 = 0.64  -> w3
#   d3 = 0.45 everywhere: 29.16, 0.36, 16*0.3025 + 128*0.2025 = 30.76, 30.76      -> w1
#   d4 = w2 + 0.05: 16*1.1025 + 128*0.0025 = 17.96, 30.76, 144*0.0025 = 0.36, 17.64 + 14.44 + 0.28 = 32.36  -> w2
# Histogram [1, 1, 2, 1] (sums to M = 5); normalized [0.2, 0.2, 0.4, 0.2]. A dot-product "similarity" would send d0
# to w1 (0.1 * 0.5 * 144 = 7.2 beats 0.1 * 16 = 1.6), the farthest word would send it to w1 too.
CELLS, BINS = 16, 9


def _orientation(bin_):
    word = np.zeros(HOG_SIZE)
    word[bin_::BINS] = 1.0
    return word


WORKED_VOCABULARY = np.stack([np.zeros(HOG_SIZE), np.full(HOG_SIZE, 0.5), _orientation(0), _orientation(4)])
WORKED_DESCRIPTORS = np.stack([np.full(HOG_SIZE, 0.1), _orientation(0), 0.8 * _orientation(4),
                               np.full(HOG_SIZE, 0.45), _orientation(0) + 0.05])
WORKED_COUNTS = np.array([1.0, 1.0, 2.0, 1.0])


def fraction_tolerance(m: int) -> float:
    """Two correct fractions c / M differ by at most 2 M u = M EPS (each within M u, module docstring); a factor 2
    of safety: 2 M EPS."""
    return 2 * m * EPS


def inputs_of(descriptors, vocabulary) -> dict:
    return {"descriptors": descriptors, "vocabulary": vocabulary}


@prop(CONCEPT, LECTURE, "The histogram counts every descriptor once: k whole numbers >= 0 summing to M; normalized, the counts divided by M, summing to 1.")
@given(image=images())
@example(image=(WORKED_DESCRIPTORS, WORKED_VOCABULARY))
def test_bag_of_words_counts_every_descriptor_once(bag_of_words, image):
    descriptors, vocabulary = image
    m, k = len(descriptors), len(vocabulary)
    inputs = inputs_of(descriptors, vocabulary)
    counts = bag_of_words(descriptors, vocabulary)
    expect.holds("bag_of_words(descriptors, vocabulary)", counts, (counts >= 0) & (counts == np.round(counts)),
                 "a count: a whole number >= 0", inputs=inputs)
    expect.equal("sum of bag_of_words(descriptors, vocabulary)", counts.sum(), m,
                 why=f"M = {m}: every descriptor is counted at exactly one word", inputs=inputs)
    fractions = bag_of_words(descriptors, vocabulary, normalized=True)
    # k fractions, each within M u of its value, summed with k - 1 more roundings: within (k M + k) u; a factor 2.
    expect.close("sum of bag_of_words(descriptors, vocabulary, normalized=True)", fractions.sum(), 1.0,
                 atol=k * (m + 1) * EPS, why="normalized: the fractions of the M descriptors sum to 1", inputs=inputs)
    expect.close("bag_of_words(descriptors, vocabulary, normalized=True)", fractions, counts / m,
                 atol=fraction_tolerance(m), why=f"the counts divided by M = {m}", inputs=inputs)


@prop(CONCEPT, LECTURE, "The histogram does not depend on the order of the descriptors.")
@given(image=images(), data=st.data())
@example(image=(WORKED_DESCRIPTORS, WORKED_VOCABULARY), data=None)
def test_bag_of_words_ignores_the_order_of_descriptors(bag_of_words, image, data):
    descriptors, vocabulary = image
    m = len(descriptors)
    if data is None:  # the explicit example: the descriptors reversed
        order = np.arange(m)[::-1]
    else:
        order = np.array(data.draw(st.permutations(range(m)), label="order"))
    shuffled = descriptors[order]
    inputs = {**inputs_of(descriptors, vocabulary), "order": order}
    for normalized in (False, True):
        call = f"bag_of_words(descriptors[order], vocabulary, normalized={normalized})"
        # Counts are exact; fractions of equal counts are within fraction_tolerance of each other.
        expect.close(call, bag_of_words(shuffled, vocabulary, normalized=normalized),
                     bag_of_words(descriptors, vocabulary, normalized=normalized),
                     atol=fraction_tolerance(m) if normalized else 0.0,
                     why=f"bag_of_words(descriptors, vocabulary, normalized={normalized}): a bag has no order",
                     inputs=inputs)


@prop(CONCEPT, LECTURE, "Each descriptor is counted at its nearest word (Euclidean distance), a descriptor equal to a word at that word.")
@given(image=images())
@example(image=(WORKED_DESCRIPTORS, WORKED_VOCABULARY))
def test_bag_of_words_counts_each_descriptor_at_its_nearest_word(bag_of_words, image):
    descriptors, vocabulary = image
    inputs = inputs_of(descriptors, vocabulary)
    expected = histogram(descriptors, vocabulary)  # no near-ties (images()): every correct route agrees
    nearest = squared_distances(descriptors, vocabulary).argmin(axis=1)
    counts = bag_of_words(descriptors, vocabulary)
    expect.equal("bag_of_words(descriptors, vocabulary)", counts, expected,
                 why=f"the nearest words of the descriptors are {nearest.tolist()}", inputs=inputs)
    m = len(descriptors)
    expect.close("bag_of_words(descriptors, vocabulary, normalized=True)",
                 bag_of_words(descriptors, vocabulary, normalized=True), expected / m, atol=fraction_tolerance(m),
                 why=f"the counts at the nearest words {nearest.tolist()}, divided by M = {m}", inputs=inputs)


@prop(CONCEPT, LECTURE, "The vocabulary's own words as descriptors give one count per word: each word is its own nearest word.")
@given(vocabulary=vocabularies().filter(lambda v: not too_close_to_call(v, v)))
@example(vocabulary=WORKED_VOCABULARY)
def test_bag_of_words_of_the_words_themselves_is_one_per_word(bag_of_words, vocabulary):
    k = len(vocabulary)
    expect.equal("bag_of_words(vocabulary, vocabulary)", bag_of_words(vocabulary, vocabulary), np.ones(k),
                 why="descriptor j is word j, at distance 0 from it and farther from every other word",
                 inputs={"vocabulary": vocabulary})


@prop(CONCEPT, LECTURE, "A descriptor equidistant from several words is counted at the one of the lowest index (np.argmin's tie rule).")
@given(image=integer_images())
@example(image=(np.array([[1.0], [0.0], [1.0]]), np.array([[2.0], [0.0], [-2.0]])))
def test_bag_of_words_ties_go_to_the_lowest_index(bag_of_words, image):
    descriptors, vocabulary = image
    # Small integers: every squared distance is exact by any route, so equal distances are exact ties.
    d = squared_distances(descriptors, vocabulary)
    tied = [i for i in range(len(d)) if (d[i] == d[i].min()).sum() > 1]
    expect.equal("bag_of_words(descriptors, vocabulary)", bag_of_words(descriptors, vocabulary),
                 histogram(descriptors, vocabulary),
                 why=f"each descriptor at its nearest word; descriptors {tied} are equidistant from several nearest "
                     "words and count at the lowest index" if tied else "each descriptor at its nearest word",
                 inputs=inputs_of(descriptors, vocabulary))


@prop(CONCEPT, LECTURE, "Worked example in the lecture's shape: five 144-d HOG-like descriptors against 4 visual words give the histogram [1, 1, 2, 1], normalized [0.2, 0.2, 0.4, 0.2].")
def test_bag_of_words_worked_example(bag_of_words):
    inputs = inputs_of(WORKED_DESCRIPTORS, WORKED_VOCABULARY)
    expect.equal("bag_of_words(descriptors, vocabulary)", bag_of_words(WORKED_DESCRIPTORS, WORKED_VOCABULARY),
                 WORKED_COUNTS, why="by hand: the nearest words are w0, w2, w3, w1, w2", inputs=inputs)
    expect.close("bag_of_words(descriptors, vocabulary, normalized=True)",
                 bag_of_words(WORKED_DESCRIPTORS, WORKED_VOCABULARY, normalized=True),
                 np.array([0.2, 0.2, 0.4, 0.2]), atol=fraction_tolerance(5),
                 why="by hand: [1, 1, 2, 1] / 5", inputs=inputs)


# Mutants.


def _nearest_by_expansion(descriptors, vocabulary):
    d2 = (descriptors**2).sum(axis=1)[:, None] - 2.0 * descriptors @ vocabulary.T + (vocabulary**2).sum(axis=1)
    return d2.argmin(axis=1)


@mutant(of="bag_of_words", kills=[test_bag_of_words_counts_each_descriptor_at_its_nearest_word,
                                  test_bag_of_words_of_the_words_themselves_is_one_per_word,
                                  test_bag_of_words_worked_example])
def bag_of_words_at_the_farthest_word(descriptors, vocabulary, normalized=False):
    """argmax of the distances instead of argmin: every descriptor goes to its farthest word."""
    d2 = ((descriptors[:, None, :] - vocabulary[None, :, :]) ** 2).sum(axis=2)
    counts = np.bincount(d2.argmax(axis=1), minlength=len(vocabulary)).astype(np.float64)
    return counts / len(descriptors) if normalized else counts


@mutant(of="bag_of_words", kills=[test_bag_of_words_counts_each_descriptor_at_its_nearest_word,
                                  test_bag_of_words_of_the_words_themselves_is_one_per_word,
                                  test_bag_of_words_worked_example])
def bag_of_words_by_dot_product_similarity(descriptors, vocabulary, normalized=False):
    """The most similar word by the dot product descriptor . word (argmax), which favours long words, instead of the
    nearest by distance."""
    counts = np.bincount((descriptors @ vocabulary.T).argmax(axis=1), minlength=len(vocabulary)).astype(np.float64)
    return counts / len(descriptors) if normalized else counts


@mutant(of="bag_of_words", kills=[test_bag_of_words_counts_every_descriptor_once, test_bag_of_words_worked_example])
def bag_of_words_never_normalized(descriptors, vocabulary, normalized=False):
    """Ignores normalized: always the counts."""
    return np.bincount(_nearest_by_expansion(descriptors, vocabulary), minlength=len(vocabulary)).astype(np.float64)


@mutant(of="bag_of_words", kills=[test_bag_of_words_counts_every_descriptor_once, test_bag_of_words_worked_example])
def bag_of_words_normalized_by_k(descriptors, vocabulary, normalized=False):
    """Divides by the number of words k instead of the number of descriptors M."""
    counts = np.bincount(_nearest_by_expansion(descriptors, vocabulary), minlength=len(vocabulary)).astype(np.float64)
    return counts / len(vocabulary) if normalized else counts


@mutant(of="bag_of_words", kills=[test_bag_of_words_counts_every_descriptor_once])
def bag_of_words_normalized_by_default(descriptors, vocabulary, normalized=True):
    """normalized=True as the default: the plain call returns fractions, not counts."""
    counts = np.bincount(_nearest_by_expansion(descriptors, vocabulary), minlength=len(vocabulary)).astype(np.float64)
    return counts / len(descriptors) if normalized else counts


@mutant(of="bag_of_words", kills=[test_bag_of_words_ties_go_to_the_lowest_index])
def bag_of_words_ties_to_the_last_word(descriptors, vocabulary, normalized=False):
    """Loops over the words keeping the best with <=: a tie goes to the last of the equidistant words."""
    counts = np.zeros(len(vocabulary))
    for x in descriptors:
        best, best_d = 0, np.inf
        for j, w in enumerate(vocabulary):
            dist = float(((x - w) ** 2).sum())
            if dist <= best_d:
                best, best_d = j, dist
        counts[best] += 1
    return counts / len(descriptors) if normalized else counts


@mutant(of="bag_of_words", kills=[test_bag_of_words_counts_every_descriptor_once,
                                  test_bag_of_words_counts_each_descriptor_at_its_nearest_word])
def bag_of_words_without_minlength(descriptors, vocabulary, normalized=False):
    """np.bincount(nearest) without minlength=k: shorter than k when the last words get no descriptor."""
    counts = np.bincount(_nearest_by_expansion(descriptors, vocabulary)).astype(np.float64)
    return counts / len(descriptors) if normalized else counts


@mutant(of="bag_of_words", kills=[test_bag_of_words_ignores_the_order_of_descriptors,
                                  test_bag_of_words_counts_each_descriptor_at_its_nearest_word])
def bag_of_words_counts_in_order_of_appearance(descriptors, vocabulary, normalized=False):
    """collections.Counter(nearest).values() padded with zeros: the counts come in the order the words first appear
    among the descriptors, not in the vocabulary's order."""
    from collections import Counter

    found = list(Counter(_nearest_by_expansion(descriptors, vocabulary).tolist()).values())
    counts = np.array(found + [0] * (len(vocabulary) - len(found)), dtype=np.float64)
    return counts / len(descriptors) if normalized else counts


@mutant(of="bag_of_words", kills=[test_bag_of_words_counts_every_descriptor_once,
                                  test_bag_of_words_ignores_the_order_of_descriptors])
def bag_of_words_looping_over_k_descriptors(descriptors, vocabulary, normalized=False):
    """for i in range(len(vocabulary)) where the loop over the descriptors should run to M: counts only the first
    k descriptors (and fails when there are fewer)."""
    nearest = _nearest_by_expansion(descriptors, vocabulary)
    counts = np.zeros(len(vocabulary))
    for i in range(len(vocabulary)):
        counts[nearest[i]] += 1
    return counts / len(descriptors) if normalized else counts


# Correct alternatives.


@alternative(of="bag_of_words")
def bag_of_words_with_loops(descriptors, vocabulary, normalized=False):
    """Two loops over descriptors and words, keeping the first strict minimum of the distance."""
    counts = np.zeros(len(vocabulary))
    for x in descriptors:
        best, best_d = 0, np.inf
        for j, w in enumerate(vocabulary):
            dist = float(np.sqrt(((x - w) ** 2).sum()))
            if dist < best_d:
                best, best_d = j, dist
        counts[best] += 1
    if normalized:
        counts /= len(descriptors)
    return counts


@alternative(of="bag_of_words")
def bag_of_words_by_add_at(descriptors, vocabulary, normalized=False):
    """Distances by broadcasting, np.add.at adding 1 (or 1 / M when normalized) at each nearest word."""
    nearest = ((descriptors[:, None, :] - vocabulary[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    hist = np.zeros(len(vocabulary))
    np.add.at(hist, nearest, 1.0 / len(descriptors) if normalized else 1.0)
    return hist


@alternative(of="bag_of_words")
def bag_of_words_by_cdist_and_bincount(descriptors, vocabulary, normalized=False):
    """scipy's cdist (Euclidean distances, square roots taken), argmin, np.bincount(minlength=k) divided by M."""
    import scipy.spatial.distance

    nearest = scipy.spatial.distance.cdist(descriptors, vocabulary).argmin(axis=1)
    counts = np.bincount(nearest, minlength=len(vocabulary)).astype(np.float64)
    return counts / len(descriptors) if normalized else counts


@alternative(of="bag_of_words")
def bag_of_words_by_one_hot(descriptors, vocabulary, normalized=False):
    """Squared distances by the expansion (clipped at 0), then the column sums (or means) of a one-hot matrix."""
    d2 = (descriptors**2).sum(axis=1)[:, None] - 2.0 * descriptors @ vocabulary.T + (vocabulary**2).sum(axis=1)
    nearest = np.maximum(d2, 0.0).argmin(axis=1)
    one_hot = (nearest[:, None] == np.arange(len(vocabulary))[None, :]).astype(np.float64)
    return one_hot.mean(axis=0) if normalized else one_hot.sum(axis=0)
