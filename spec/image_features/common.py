"""Strategies and checks shared by the image-features properties: RGB images (any, one hue, hues inside bins, the
primary and secondary colours), grayscale integer images, striped images, images with a pattern inside one cell,
ramps; the expected HOG of stripes and ramps; the comparison of two histograms up to a positive factor."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS

U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative

# Hues. An image is built from (hue, saturation, value) by hsv_to_rgb below: the RGB values are within U relative
# of the exact ones, so the hue a correct implementation computes back is off by about (a few U) v / (v - min) =
# a few U / s (d = v s in the denominator), and once more that much when the image is rescaled first: under 10 U / s
# in all. With s >= S_MIN = 1e-3 that is < 1.2e-12. A hue drawn at least MARGIN = 1e-6 of a bin's width from its
# edges, with at most MAX_BINS = 40 bins, is >= 2.5e-8 from an edge: a margin of 2e4 over the error.
S_MIN = 1e-3
V_MIN = 1e-3  # values in [V_MIN, 255]: no subnormal numbers anywhere
MARGIN = 1e-6
MAX_BINS = 40
MAX_SIDE = 6  # RGB images are H x W with H, W <= 6

# The fraction of the pixels in a bin, count / (H W), is computed in at most 4 roundings of numbers <= 1 (CS231n's
# np.histogram(density=True) times the bin width: the width, the product H W width, the quotient, the product
# back), so it is within 4 U of the exact fraction; FRACTION_TOL doubles that.
FRACTION_TOL = 8 * U

# The six hues of the primary and secondary colours, k / 6: red, yellow, green, cyan, blue, magenta.
COLOUR_NAMES = ("red", "yellow", "green", "cyan", "blue", "magenta")


def seeds():
    return st.integers(0, 2**32 - 1)


def bin_counts(min_value: int = 1, max_value: int = MAX_BINS):
    return st.integers(min_value, max_value)


def bin_counts_prime_to_6():
    """nbin with gcd(nbin, 6) = 1: k nbin / 6 is never an integer for k = 1..5, so no hue k / 6 is on a bin edge."""
    return st.integers(0, 6).flatmap(lambda q: st.sampled_from([n for n in (6 * q + 1, 6 * q + 5) if n >= 1]))


def image_sides(max_value: int = MAX_SIDE):
    return st.tuples(st.integers(1, max_value), st.integers(1, max_value))


def hsv_to_rgb(h, s, v) -> np.ndarray:
    """The RGB image (..., 3) of hues h in [0, 1), saturations s and values v (arrays of one shape): the hexcone
    model, sector i = floor(6 h), f = 6 h - i, and (v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)
    with p = v (1 - s), q = v (1 - s f), t = v (1 - s (1 - f)). Its hue is h again (e.g. sector 0:
    (t - p) / (v - p) = f)."""
    h6 = 6.0 * np.asarray(h, dtype=np.float64)
    i = np.minimum(np.floor(h6), 5).astype(np.int64)
    f = h6 - i
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    channels = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    out = np.empty(np.shape(h) + (3,))
    for sector, rgb in enumerate(channels):
        mask = i == sector
        for c in range(3):
            out[..., c][mask] = np.broadcast_to(rgb[c], np.shape(h))[mask]
    return out


@st.composite
def rgb_images(draw):
    """Any RGB image (H, W, 3) with values >= 0: uniform in [0, 1] or [0, 255], or small integers (ties between
    channels, grey and black pixels), some pixels made grey."""
    (height, width), seed = draw(image_sides()), draw(seeds())
    kind = draw(st.sampled_from(["unit", "bytes", "small integers"]))
    rng = np.random.default_rng(seed)
    shape = (height, width, 3)
    if kind == "unit":
        im = rng.uniform(0.0, 1.0, shape)
    elif kind == "bytes":
        im = rng.uniform(0.0, 255.0, shape)
    else:
        im = rng.integers(0, 3, shape).astype(np.float64)
    grey = rng.random((height, width)) < draw(st.sampled_from([0.0, 0.3]))
    im[grey] = im[grey][:, :1]
    return im


def pixel_values(rng, shape):
    """Values in [V_MIN, 255], log-uniform (dark and bright pixels alike)."""
    return np.exp(rng.uniform(np.log(V_MIN), np.log(255.0), shape))


def saturations(rng, shape):
    """Saturations in [S_MIN, 1], log-uniform, 1 (a pure colour) often."""
    s = np.exp(rng.uniform(np.log(S_MIN), 0.0, shape))
    return np.where(rng.random(shape) < 0.2, 1.0, s)


def hue_in_bin(b: int, u: float, nbin: int) -> float:
    """The hue at fraction u of bin b's width, u in [MARGIN, 1 - MARGIN]."""
    return (b + u) / nbin


def positions_in_bins():
    return st.floats(MARGIN, 1.0 - MARGIN)


@st.composite
def single_hue_images(draw):
    """(im, nbin, b): an image whose every pixel has one hue, inside bin b of nbin (at least MARGIN of the bin's
    width from its edges), each pixel with its own saturation and value."""
    nbin = draw(bin_counts())
    b, u = draw(st.integers(0, nbin - 1)), draw(positions_in_bins())
    (height, width), seed = draw(image_sides()), draw(seeds())
    rng = np.random.default_rng(seed)
    shape = (height, width)
    im = hsv_to_rgb(np.full(shape, hue_in_bin(b, u, nbin)), saturations(rng, shape), pixel_values(rng, shape))
    return im, nbin, b


@st.composite
def hued_images(draw):
    """(im, nbin): an image in [0, 255] whose pixels have hues inside bins of nbin (each at least MARGIN of a bin's
    width from its edges), any saturation >= S_MIN and value >= V_MIN, some pixels grey and some black."""
    nbin = draw(bin_counts())
    (height, width), seed = draw(image_sides()), draw(seeds())
    rng = np.random.default_rng(seed)
    shape = (height, width)
    hues = (rng.integers(0, nbin, shape) + rng.uniform(MARGIN, 1.0 - MARGIN, shape)) / nbin
    im = hsv_to_rgb(hues, saturations(rng, shape), pixel_values(rng, shape))
    kind = rng.integers(0, 6, shape)
    im[kind == 0] = im[kind == 0][:, :1]  # grey: r = g = b, hue 0
    im[kind == 1] = 0.0  # black
    return im, nbin


def colour_pixel(k: int, value: float, saturation: float) -> np.ndarray:
    """The colour of hue k / 6 (red, yellow, green, cyan, blue, magenta) at the given value and saturation: each
    channel is exactly M = value or m = value (1 - saturation), so every formula gives the hue k / 6 exactly
    (yellow: (g - b) / d = (M - m) / (M - m) = 1)."""
    top, low = value, value * (1.0 - saturation)
    pattern = [(1, 0, 0), (1, 1, 0), (0, 1, 0), (0, 1, 1), (0, 0, 1), (1, 0, 1)][k]
    return np.array([top if on else low for on in pattern])


@st.composite
def colour_images(draw):
    """(im, kinds): an image whose pixels are primary and secondary colours (kinds 0..5: hue kinds / 6) or grey
    (kind 6, hue 0), each with its own value and saturation."""
    (height, width), seed = draw(image_sides()), draw(seeds())
    rng = np.random.default_rng(seed)
    kinds = rng.integers(0, 7, (height, width))
    values, sats = pixel_values(rng, kinds.shape), saturations(rng, kinds.shape)
    im = np.empty((height, width, 3))
    for index in np.ndindex(kinds.shape):
        k = int(kinds[index])
        im[index] = colour_pixel(k, values[index], sats[index]) if k < 6 else values[index]
    return im, kinds


def expected_colour_bins(kinds: np.ndarray, nbin: int) -> np.ndarray:
    """The bin of each pixel of colour_images: floor(k nbin / 6) for hue k / 6, exactly in integers; grey is 0."""
    return np.where(kinds < 6, (kinds * nbin) // 6, 0)


# HOG. Images have integer values in [0, 255] (times a power of 2 when scaled): every difference, central or
# forward, is an exact multiple of 1/2, its square and sum exact, and the magnitude of an axis-aligned gradient is
# exact. The orientation of a gradient (gx, gy) with |gx|, |gy| <= 510 (in halves) is either 0, 90 or at least
# 2.5e-6 degrees from every edge k 180 / o of an odd number o <= 19 of bins (checked over all such pairs; odd o keeps
# 45, 90 and 135 degrees off the edges, and those are the only angles with a rational tangent). arctan2 and the
# conversion to degrees are off by about 1e-13 degrees, CS231n's gx + 1e-15 moves an angle by at most
# 1e-15 / |g| rad <= 1.2e-7 degrees for |g| >= 2^-21: no correct implementation puts such a gradient in another bin.
MAX_CELL = 8
MAX_CELLS = 3  # cells a side


def cell_sizes(min_value: int = 1, max_value: int = MAX_CELL):
    return st.integers(min_value, max_value)


def orientation_counts():
    """An odd number of bins in [1, 15], the lecture's 9 often."""
    return st.one_of(st.just(9), st.integers(0, 7).map(lambda k: 2 * k + 1))


def grid_side(c: int):
    """A side of a grayscale image with cells of c pixels: 1 to MAX_CELLS whole cells, then 0 to c - 1 pixels
    more (left out). At least 2 pixels: np.gradient, which the contract accepts, refuses an axis of length 1."""
    sides = st.tuples(st.integers(1, MAX_CELLS), st.integers(0, c - 1)).map(lambda t: t[0] * c + t[1])
    return sides.filter(lambda n: n >= 2)


@st.composite
def grayscale_images(draw, min_cell: int = 1):
    """(im, c): an integer-valued image (H, W) in [0, 255] and a cell size c <= H, W; the values are uniform, or
    only 0 and 255 (flat areas and sharp edges)."""
    c = draw(cell_sizes(min_cell))
    height, width = draw(grid_side(c)), draw(grid_side(c))
    rng = np.random.default_rng(draw(seeds()))
    if draw(st.booleans()):
        return rng.integers(0, 256, (height, width)).astype(np.float64), c
    return 255.0 * rng.integers(0, 2, (height, width)), c


def allowed_steps(n: int, c: int) -> list:
    """The positions p (a step between pixels p - 1 and p) of a striped image of n pixels across the stripes where
    central and forward differences agree cell by cell: 2 <= p <= n - 2 (the end stripes are 2 wide, so central
    differences are 0 at the image's border), p not a multiple of c (p - 1 and p in one cell), and likewise
    n - p, the position of the same step in the image rotated by 90 or 180 degrees (np.rot90 reverses the order:
    pixels p - 1 and p become n - p and n - 1 - p)."""
    return [p for p in range(2, n - 1) if p % c and (n - p) % c]


@st.composite
def striped_images(draw, axis=None):
    """(im, c): stripes at least 2 pixels wide, each column constant (axis 1: vertical stripes) or each row constant
    (axis 0: horizontal), integer levels in [0, 255 * steps], consecutive levels different (up or down); the steps
    lie where central and forward differences agree (allowed_steps). At least one step."""
    axis = draw(st.sampled_from([0, 1])) if axis is None else axis
    c = draw(cell_sizes(3))
    along = draw(grid_side(c).filter(lambda n: allowed_steps(n, c)))
    across = draw(grid_side(c))
    allowed = allowed_steps(along, c)
    rng = np.random.default_rng(draw(seeds()))
    chosen = [p for p in allowed if rng.random() < 0.5] or [allowed[rng.integers(len(allowed))]]
    steps = []
    for p in chosen:  # stripes at least 2 wide: no two steps side by side
        if not steps or p - steps[-1] >= 2:
            steps.append(p)
    jumps = np.zeros(along)
    jumps[steps] = rng.integers(1, 256, len(steps)) * rng.choice([-1.0, 1.0], len(steps))
    levels = np.cumsum(jumps)
    levels -= levels.min()
    im = np.tile(levels, (across, 1)) if axis == 1 else np.tile(levels[:, None], (1, across))
    return im, c


def expected_stripes_hog(im: np.ndarray, c: int, o: int) -> np.ndarray:
    """The HOG of a striped image, shape (H // c, W // c, o), up to a positive factor (the sum over a cell; CS231n's
    average is this over c**2). A step of height |D| between pixels p - 1 and p (both in one cell) gives each of the
    c pixel rows (columns) of the cell a gradient of |D| across the stripes: at p - 1 for forward differences, |D| / 2
    at p - 1 and at p for central ones. Vertical stripes: horizontal gradients, bin 0; horizontal stripes: vertical
    gradients, 90 degrees, bin floor(o / 2) for odd o."""
    rows, cols = im.shape[0] // c, im.shape[1] // c
    vertical = bool((im == im[:1]).all())
    if not vertical and not (im == im[:, :1]).all():
        raise ValueError("spec bug: expected_stripes_hog needs stripes")
    if not vertical and o % 2 == 0:
        raise ValueError("spec bug: with an even number of bins, 90 degrees is on a bin edge")
    levels = im[0] if vertical else im[:, 0]
    cells = cols if vertical else rows
    per_cell = np.zeros(cells)
    for p in np.flatnonzero(np.diff(levels)) + 1:
        if p % c == 0:
            raise ValueError("spec bug: a step on a cell edge")
        if p < cells * c:
            per_cell[p // c] += c * abs(levels[p] - levels[p - 1])
    expected = np.zeros((rows, cols, o))
    if vertical:
        expected[:, :, 0] = per_cell[None, :]
    else:
        expected[:, :, o // 2] = per_cell[:, None]
    return expected


@st.composite
def one_cell_patterns(draw):
    """(im, c, (i, j)): an image constant but for integer noise strictly inside cell (i, j) (a margin of 1 pixel to
    every cell edge, so that central and forward differences are nonzero only inside that cell), c >= 3."""
    c = draw(cell_sizes(3))
    height, width = draw(grid_side(c)), draw(grid_side(c))
    i, j = draw(st.integers(0, height // c - 1)), draw(st.integers(0, width // c - 1))
    rng = np.random.default_rng(draw(seeds()))
    background = float(rng.integers(0, 256))
    im = np.full((height, width), background)
    inside = np.s_[i * c + 1:(i + 1) * c - 1, j * c + 1:(j + 1) * c - 1]
    patch = rng.integers(0, 256, im[inside].shape).astype(np.float64)
    patch.flat[rng.integers(0, patch.size)] = (background + 1.0) % 256.0  # one pixel off the background at least
    im[inside] = patch
    return im, c, (i, j)


@st.composite
def ramps(draw):
    """(im, c, (a, b)): the ramp im[y, x] = a x + b y + const (a, b integers, not both 0), with 1 to c - 1 pixels past
    the last whole cell in each direction, c >= 2: every pixel of a whole cell has the gradient (gx, gy) = (a, b)
    by central and by forward differences (forward ones are 0 only in the last row and column, which are left
    out)."""
    c = draw(cell_sizes(2))
    sides = st.tuples(st.integers(1, MAX_CELLS), st.integers(1, c - 1)).map(lambda t: t[0] * c + t[1])
    height, width = draw(sides), draw(sides)
    a, b = draw(st.tuples(st.integers(-20, 20), st.integers(-20, 20)).filter(lambda ab: ab != (0, 0)))
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    im = a * x + b * y
    return im - im.min(), c, (a, b)


def ramp_bin(a: int, b: int, o: int) -> int:
    """The bin of the gradient (gx, gy) = (a, b): its angle arctan2(b, a) folded into [0, 180), over 180 / o (the
    angle is at least 2.5e-6 degrees from a bin edge for odd o, see above, so rounding here cannot matter)."""
    angle = math.degrees(math.atan2(b, a)) % 180.0
    return min(int(angle // (180.0 / o)), o - 1)


def hog_cells(hog_feature, im, c: int, o: int, inputs: dict) -> np.ndarray:
    """hog_feature(im, c, o) reshaped to (H // c, W // c, o), after checking its length (with a message that says
    how many numbers there should be and why)."""
    features = hog_feature(im, cell_size=c, orientations=o)
    rows, cols = im.shape[0] // c, im.shape[1] // c
    if features.shape != (rows * cols * o,):
        expect.fail(f"hog_feature(im, cell_size={c}, orientations={o}) has shape {features.shape}, but should have "
                    f"shape ({rows * cols * o},): (H // cell_size) * (W // cell_size) * orientations = {rows} * "
                    f"{cols} * {o} for an image of shape {im.shape} (pixels past the last whole cell are left out)",
                    inputs)
    return features.reshape(rows, cols, o)


def proportional_rtol(c: int, size: int) -> float:
    """How far an exact per-cell sum (exact for the images here) and a correct implementation's entry may differ
    once the positive factor is taken out. An entry is the sum of at most c**2 nonnegative terms, each exact or with
    one rounding (CS231n's average divides each by c**2, or the sum): within (c**2 + 1) U relative. The factor,
    sum(actual) / sum(expected), adds size - 1 roundings of the sum and one of the quotient to that, and the product
    factor * expected one more: (2 c**2 + size + 3) U in all; doubled for safety."""
    return 2 * (2 * c * c + size + 3) * U


def expect_proportional(name: str, actual, expected, *, rtol: float, why: str, inputs: dict) -> None:
    """actual = lambda * expected for some lambda > 0 (entry by entry within rtol; zeros exactly): the contract
    accepts any positive multiple of the sum over a cell (CS231n's average is 1 / cell_size**2 of it)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    if not expected.any():
        expect.equal(name, actual, expected, why=why + " (no gradient at all in the cells)", inputs=inputs)
        return
    factor = float(actual.sum()) / float(expected.sum())
    if not factor > 0:
        expect.fail(f"the entries of {name} sum to {expect.fmt(float(actual.sum()))}, but should sum to a positive "
                    f"multiple of {expect.fmt(float(expected.sum()))} [{why}]\n{name} = {expect.fmt(actual)}", inputs)
    expect.close(name, actual, factor * expected, rtol=rtol,
                 why=f"{why}; compared up to the positive factor {factor:.6g} = sum(actual) / sum(expected)",
                 inputs={**inputs, "expected (up to a positive factor)": expected})
