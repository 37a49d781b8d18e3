"""The colour (hue) histogram: color_histogram_hsv(im, nbin=10, normalized=True).

Every pixel adds 1 to the bin of its hue, the H of HSV in [0, 1) (0 for grey); bin b holds [b / nbin, (b + 1) / nbin);
normalized divides by the number of pixels. So the counts are integers summing to H W, they do not depend on where
the pixels are nor on the scale of the values ([0, 255] or [0, 1]), an image of one hue fills one bin, and the
primary and secondary colours (hues k / 6) land in bins floor(k nbin / 6).

Counts are compared exactly (a count involves no rounding); fractions within FRACTION_TOL (common.py). Images are
built so that no pixel's hue is near a bin edge, where two correct implementations may round differently.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.image_features.common import (
    COLOUR_NAMES, FRACTION_TOL, bin_counts, bin_counts_prime_to_6, colour_images, colour_pixel,
    expected_colour_bins, hued_images, rgb_images, seeds, single_hue_images,
)
from spec.property import alternative, mutant, prop

CONCEPT = "colour histogram"
SLIDE = "CS231n lecture 4 (2015), slide 12: 'Example: Color (Hue) Histogram', +1 in the bin of each pixel's hue"
CS231N = "CS231n assignment 1, features.py (color_histogram_hsv: the histogram of the H of matplotlib's rgb_to_hsv)"

# Worked example: red, yellow, green, cyan, blue, magenta and a grey pixel, with nbin = 7 (prime to 6: no hue k / 6
# on a bin edge). Their hues 0, 1/6, 1/3, 1/2, 2/3, 5/6 and 0 (grey) fall in bins floor(7 k / 6) = 0, 1, 2, 3, 4, 5
# and 0: counts [2, 1, 1, 1, 1, 1, 0], fractions of 7 pixels.
RAINBOW = np.array([[colour_pixel(k, 255.0, 1.0) for k in range(6)] + [np.full(3, 128.0)]])
RAINBOW_KINDS = np.array([[0, 1, 2, 3, 4, 5, 6]])
RAINBOW_COUNTS = np.array([2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0])


def call_text(nbin, normalized) -> str:
    return f"color_histogram_hsv(im, nbin={nbin}, normalized={normalized})"


@prop(CONCEPT, SLIDE, "Every pixel adds 1 to one bin: the counts are whole numbers >= 0 summing to H * W; normalized, they are divided by H * W (and sum to 1); the defaults are nbin = 10, normalized.")
@given(im=rgb_images(), nbin=bin_counts())
@example(im=RAINBOW, nbin=7)
def test_color_histogram_counts_every_pixel_once(color_histogram_hsv, im, nbin):
    inputs = {"im": im}
    pixels = im.shape[0] * im.shape[1]
    counts = color_histogram_hsv(im, nbin, False)
    expect.holds(call_text(nbin, False), counts, (counts >= 0) & (counts == np.round(counts)),
                 "a count of pixels: a whole number >= 0", inputs=inputs)
    expect.equal(f"the sum of {call_text(nbin, False)}", counts.sum(), pixels,
                 why=f"every one of the H * W = {pixels} pixels counted once", inputs=inputs)
    fractions = color_histogram_hsv(im, nbin, True)
    expect.close(call_text(nbin, True), fractions, counts / pixels, atol=FRACTION_TOL,
                 why=f"the counts divided by H * W = {pixels}", inputs=inputs)
    # nbin fractions each within FRACTION_TOL / 2 of the exact ones (which sum to 1), and nbin - 1 additions of
    # numbers summing to about 1, each within U: (nbin + 1) FRACTION_TOL covers both with room to spare.
    expect.close(f"the sum of {call_text(nbin, True)}", fractions.sum(), 1.0, atol=(nbin + 1) * FRACTION_TOL,
                 why="fractions of the pixels", inputs=inputs)
    default = color_histogram_hsv(im)
    expect.close("color_histogram_hsv(im) (the defaults)", default, color_histogram_hsv(im, 10, True),
                 atol=0.0, why="color_histogram_hsv(im, nbin=10, normalized=True)", inputs=inputs)


@st.composite
def rearranged(draw, images):
    """(im, moved): an image and its pixels in another order, possibly in another shape H' x W' with H' W' = H W."""
    im = draw(images)
    pixels = im.reshape(-1, 3)
    rng = np.random.default_rng(draw(seeds()))
    n = pixels.shape[0]
    height = draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]))
    return im, pixels[rng.permutation(n)].reshape(height, n // height, 3)


@prop(CONCEPT, SLIDE, "The histogram ignores where the colours are: the same pixels in another order (or in another H x W shape) give the same histogram.")
@given(pair=rearranged(rgb_images()), nbin=bin_counts(), normalized=st.booleans())
def test_color_histogram_ignores_where_the_pixels_are(color_histogram_hsv, pair, nbin, normalized):
    im, moved = pair
    # Each pixel's hue is computed from that pixel alone, by the same operations wherever it is: the counts are
    # the same numbers, exactly.
    expect.equal(f"{call_text(nbin, normalized)} of the rearranged image", color_histogram_hsv(moved, nbin, normalized),
                 color_histogram_hsv(im, nbin, normalized), why="the histogram of the original image",
                 inputs={"im": im, "rearranged im": moved})


@prop(CONCEPT, CS231N, "An image whose pixels all have one hue (each with its own saturation and value) puts all of them in the bin of that hue.")
@given(case=single_hue_images())
@example(case=(np.array([[[255.0, 127.5, 0.0], [2.0, 1.0, 0.0]], [[0.5, 0.25, 0.0], [1.0, 0.75, 0.5]]]), 10, 0))
def test_one_hue_lands_in_one_bin(color_histogram_hsv, case):
    # Example: hue 1/12 (orange: (g - b) / d / 6 = 0.5 / 6) at several values and saturations; nbin = 10, bin 0.
    im, nbin, b = case
    pixels = im.shape[0] * im.shape[1]
    one_bin = np.zeros(nbin)
    one_bin[b] = 1.0
    inputs = {"im": im}
    why = f"every pixel's hue lies in bin {b}, [{b}/{nbin}, {b + 1}/{nbin})"
    expect.equal(call_text(nbin, False), color_histogram_hsv(im, nbin, False), pixels * one_bin,
                 why=why + f": all {pixels} pixels there", inputs=inputs)
    expect.close(call_text(nbin, True), color_histogram_hsv(im, nbin, True), one_bin, atol=FRACTION_TOL,
                 why=why + ": the fraction 1 there", inputs=inputs)


@prop(CONCEPT, CS231N, "The primary and secondary colours have the hues 0 (red), 1/6 (yellow), 1/3 (green), 1/2 (cyan), 2/3 (blue), 5/6 (magenta), grey has hue 0: with nbin prime to 6 each lands in bin floor(k nbin / 6).")
@given(case=colour_images(), nbin=bin_counts_prime_to_6())
@example(case=(RAINBOW, RAINBOW_KINDS), nbin=7)
def test_primary_and_secondary_colours_land_in_their_bins(color_histogram_hsv, case, nbin):
    im, kinds = case
    bins = expected_colour_bins(kinds, nbin)
    expected = np.bincount(bins.ravel(), minlength=nbin).astype(np.float64)
    names = [", ".join(f"{n} {COLOUR_NAMES[k] if k < 6 else 'grey'}" for k, n in
                       zip(*np.unique(kinds[bins == b], return_counts=True))) for b in range(nbin)]
    where = "; ".join(f"bin {b}: {text}" for b, text in enumerate(names) if text)
    expect.equal(call_text(nbin, False), color_histogram_hsv(im, nbin, False), expected,
                 why=f"hue k / 6 in bin floor(k * {nbin} / 6), grey in bin 0 ({where})",
                 inputs={"im": im, "colour of each pixel (0 red .. 5 magenta, 6 grey)": kinds})


@prop(CONCEPT, CS231N, "The hue does not depend on the scale of the values: an image in [0, 255], the same image in [0, 1] and any positive multiple of it have the same histogram.")
@given(case=hued_images(), scale=st.floats(1e-3, 1e3), normalized=st.booleans())
def test_color_histogram_does_not_depend_on_the_scale(color_histogram_hsv, case, scale, normalized):
    im, nbin = case
    reference = color_histogram_hsv(im, nbin, normalized)
    # The hues of the rescaled images are within 10 U / S_MIN of those of im, far less than their distance to the
    # bin edges (common.py): the counts are the same, exactly.
    for name, other in (("im / 255", im / 255.0), (f"im * {scale!r}", im * scale)):
        expect.equal(f"{call_text(nbin, normalized)} with im = {name}", color_histogram_hsv(other, nbin, normalized),
                     reference, why="the histogram of im in [0, 255]: hues do not depend on the scale",
                     inputs={"im": im})


# Helpers for the mutants and alternatives below (self-contained: they do not use impl/).


def hue_by_masks(im):
    """matplotlib.colors.rgb_to_hsv's way: start from 0, then overwrite where r, then g, then b is the maximum;
    (h / 6) mod 1."""
    r, g, b = im[..., 0], im[..., 1], im[..., 2]
    top = im.max(axis=-1)
    d = top - im.min(axis=-1)
    h = np.zeros(top.shape)
    colour = d > 0
    idx = (r == top) & colour
    h[idx] = (g[idx] - b[idx]) / d[idx]
    idx = (g == top) & colour
    h[idx] = 2.0 + (b[idx] - r[idx]) / d[idx]
    idx = (b == top) & colour
    h[idx] = 4.0 + (r[idx] - g[idx]) / d[idx]
    return (h / 6.0) % 1.0


def hue_by_select(im):
    """The contract's formula with np.select: the first true condition wins (r, then g, then b)."""
    r, g, b = im[..., 0], im[..., 1], im[..., 2]
    top = im.max(axis=-1)
    d = top - im.min(axis=-1)
    safe = np.where(d > 0, d, 1.0)
    h6 = np.select([d == 0, top == r, top == g], [0.0, np.mod((g - b) / safe, 6.0), (b - r) / safe + 2.0],
                   (r - g) / safe + 4.0)
    return h6 / 6.0


def counts_of(values, nbin):
    """np.histogram over [0, 1] in nbin bins (its last bin closed: a value that rounded to 1.0 counts there)."""
    return np.histogram(values, bins=np.linspace(0.0, 1.0, nbin + 1))[0].astype(np.float64)


def finish(counts, pixels, normalized):
    return counts / pixels if normalized else counts


# Mutants.


@mutant(of="color_histogram_hsv", kills=[test_one_hue_lands_in_one_bin, test_primary_and_secondary_colours_land_in_their_bins])
def color_histogram_of_saturation(im, nbin=10, normalized=True):
    """The histogram of the S channel of HSV (index 1 of rgb_to_hsv's output) instead of H."""
    top = im.max(axis=-1)
    s = np.where(top > 0, (top - im.min(axis=-1)) / np.where(top > 0, top, 1.0), 0.0)
    return finish(counts_of(s, nbin), top.size, normalized)


@mutant(of="color_histogram_hsv", kills=[test_one_hue_lands_in_one_bin, test_color_histogram_does_not_depend_on_the_scale])
def color_histogram_of_value(im, nbin=10, normalized=True):
    """The histogram of the V channel of HSV (index 2), max(r, g, b) / 255, instead of H."""
    v = im.max(axis=-1) / 255.0
    return finish(counts_of(np.minimum(v, 1.0), nbin), v.size, normalized)


@mutant(of="color_histogram_hsv", kills=[test_one_hue_lands_in_one_bin, test_primary_and_secondary_colours_land_in_their_bins,
                                         test_color_histogram_does_not_depend_on_the_scale])
def color_histogram_of_the_red_channel(im, nbin=10, normalized=True):
    """The histogram of im[:, :, 0] / 255, the red channel, as an RGB colour histogram would start."""
    red = np.minimum(im[..., 0] / 255.0, 1.0)
    return finish(counts_of(red, nbin), red.size, normalized)


@mutant(of="color_histogram_hsv", kills=[test_one_hue_lands_in_one_bin, test_primary_and_secondary_colours_land_in_their_bins])
def color_histogram_with_bins_off_by_one(im, nbin=10, normalized=True):
    """np.digitize(h, edges) is 1-based (bin b comes back as b + 1) and the -1 is forgotten: every count one bin
    up, the last bin's lost."""
    h = hue_by_masks(im)
    index = np.digitize(h.ravel(), np.linspace(0.0, 1.0, nbin + 1))
    counts = np.bincount(index, minlength=nbin + 2)[:nbin].astype(np.float64)
    return finish(counts, h.size, normalized)


@mutant(of="color_histogram_hsv", kills=[test_color_histogram_counts_every_pixel_once, test_one_hue_lands_in_one_bin])
def color_histogram_never_normalized(im, nbin=10, normalized=True):
    """The normalized flag is ignored: the counts come back as they are."""
    return counts_of(hue_by_masks(im), nbin)


@mutant(of="color_histogram_hsv", kills=[test_color_histogram_counts_every_pixel_once, test_one_hue_lands_in_one_bin])
def color_histogram_as_a_density(im, nbin=10, normalized=True):
    """np.histogram(..., density=normalized) without multiplying by the bin width (CS231n does): a density over
    [0, 1], summing to nbin, not fractions."""
    h = hue_by_masks(im)
    return np.histogram(h, bins=np.linspace(0.0, 1.0, nbin + 1), density=normalized)[0].astype(np.float64)


@mutant(of="color_histogram_hsv", kills=[test_one_hue_lands_in_one_bin, test_primary_and_secondary_colours_land_in_their_bins])
def color_histogram_without_a_range(im, nbin=10, normalized=True):
    """np.histogram(h, bins=nbin) without range=(0, 1): the bins span the image's own lowest to highest hue."""
    h = hue_by_masks(im)
    return finish(np.histogram(h, bins=nbin)[0].astype(np.float64), h.size, normalized)


@mutant(of="color_histogram_hsv", kills=[test_color_histogram_does_not_depend_on_the_scale])
def color_histogram_of_uint8_pixels(im, nbin=10, normalized=True):
    """im.astype(np.uint8) first, as cv2.cvtColor wants: an image in [0, 1] becomes 0s and 1s."""
    pixels = im.astype(np.uint8).astype(np.float64)
    return finish(counts_of(hue_by_masks(pixels), nbin), pixels.shape[0] * pixels.shape[1], normalized)


@mutant(of="color_histogram_hsv", kills=[test_color_histogram_counts_every_pixel_once,
                                         test_color_histogram_ignores_where_the_pixels_are])
def color_histogram_of_every_other_pixel(im, nbin=10, normalized=True):
    """im[::2, ::2] to save time: a quarter of the pixels, normalized by their own number."""
    h = hue_by_masks(im[::2, ::2])
    return finish(counts_of(h, nbin), h.size, normalized)


@mutant(of="color_histogram_hsv", kills=[test_color_histogram_counts_every_pixel_once, test_one_hue_lands_in_one_bin])
def color_histogram_without_mod_6(im, nbin=10, normalized=True):
    """The hue (g - b) / d / 6 where r is the maximum, without "mod 6": the reds towards magenta get negative
    hues, which fall out of np.histogram's range (0, 1)."""
    r, g, b = im[..., 0], im[..., 1], im[..., 2]
    top = im.max(axis=-1)
    d = top - im.min(axis=-1)
    safe = np.where(d > 0, d, 1.0)
    h6 = np.select([d == 0, top == r, top == g], [0.0, (g - b) / safe, (b - r) / safe + 2.0], (r - g) / safe + 4.0)
    return finish(counts_of(h6 / 6.0, nbin), h6.size, normalized)


# Correct alternatives.


@alternative(of="color_histogram_hsv")
def color_histogram_by_masks_and_np_histogram(im, nbin=10, normalized=True):
    """matplotlib's per-channel masks for the hue, np.histogram over linspace(0, 1, nbin + 1) for the counts."""
    h = hue_by_masks(im)
    return finish(counts_of(h, nbin), h.size, normalized)


@alternative(of="color_histogram_hsv")
def color_histogram_by_select_and_bincount(im, nbin=10, normalized=True):
    """The formula with np.select, then np.bincount of floor(h nbin) (kept below nbin)."""
    h = hue_by_select(im)
    index = np.minimum((h * nbin).astype(np.int64), nbin - 1)
    return finish(np.bincount(index.ravel(), minlength=nbin).astype(np.float64), h.size, normalized)


@alternative(of="color_histogram_hsv")
def color_histogram_as_cs231n(im, nbin=10, normalized=True):
    """CS231n's features.py: hsv = rgb_to_hsv(im / xmax) * xmax with xmax = 255, np.histogram of the hue over
    linspace(0, 255, nbin + 1) with density=normalized, times the bin widths."""
    xmax = 255.0
    hue = hue_by_masks(im / xmax) * xmax
    bins = np.linspace(0.0, xmax, nbin + 1)
    hist, edges = np.histogram(hue, bins=bins, density=normalized)
    return (hist * np.diff(edges) if normalized else hist).astype(np.float64)
