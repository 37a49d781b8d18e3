"""The histogram of oriented gradients: hog_feature(im, cell_size=8, orientations=9).

The gradient (gx along a row, gy down a column) by central or forward differences; its orientation unsigned,
arctan2(gy, gx) folded into [0, 180) degrees, in bins of 180 / orientations degrees (9 bins: a horizontal gradient in
bin 0, a vertical one in bin 4); per cell of cell_size x cell_size pixels from the top-left, the sum (or any positive
multiple, such as CS231n's average) of the magnitudes in each bin; the cells in row-major order, entry [i, j, b] of
the (H // cell_size, W // cell_size, orientations) reshape.

Images have integer values and an odd number of bins wherever an orientation is binned (common.py: no gradient is
then near a bin edge); properties that compare with fixed numbers use stripes and ramps, on which central and
forward differences agree cell by cell.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.image_features.common import (
    expect_proportional, expected_stripes_hog, grayscale_images, hog_cells, one_cell_patterns, orientation_counts,
    proportional_rtol, ramp_bin, ramps, striped_images,
)
from spec.property import alternative, mutant, prop

CONCEPT = "HOG"
SLIDE = "CS231n lecture 4 (2015), slide 13: 'Example: HOG features, 8x8 pixel region, quantize the edge orientation into 9 bins'"
PATCH = "CS231n lecture 4 (2015), slide 14: 'Resize patch to a fixed size (e.g. 32x32 pixels), Extract HOG on the patch (get 144 numbers)'"
CS231N = "CS231n assignment 1, features.py (hog_feature: gradients, orientation histograms over cells); Dalal and Triggs 2005"

# The lecture's patch: 32 x 32 pixels, 8 x 8 cells, 9 bins: 4 * 4 cells of 9 numbers = 144. Worked example: level 10
# on columns 2..5 of every 8, 0 elsewhere. Each cell row of 8 pixels has a step up between columns 1 and 2 and one
# down between 5 and 6: forward differences give |10| at columns 1 and 5, central ones |10| / 2 at columns 1, 2, 5 and
# 6 (0 at the cell edges, where columns 7 and 8 are both 0): 20 a row, 8 rows, 160 in bin 0 (horizontal gradients)
# of every cell, 0 in the 8 other bins (CS231n's average: 160 / 64 = 2.5). Transposed, the stripes are horizontal:
# 160 in bin 4 (vertical gradients, 90 degrees in [80, 100)).
COLUMN = np.arange(32) % 8
PATCH32 = np.tile(np.where((COLUMN >= 2) & (COLUMN <= 5), 10.0, 0.0), (32, 1))
CELL_OF_VERTICAL_STRIPES = np.array([160.0, 0, 0, 0, 0, 0, 0, 0, 0])
CELL_OF_HORIZONTAL_STRIPES = np.array([0.0, 0, 0, 0, 160.0, 0, 0, 0, 0])


def call_text(c, o) -> str:
    return f"hog_feature(im, cell_size={c}, orientations={o})"


@prop(CONCEPT, PATCH, "There is one number per cell and orientation bin, (H // cell_size) * (W // cell_size) * orientations (the lecture's 32 x 32 patch: 144), none negative; the defaults are 8 x 8 cells and 9 bins.")
@given(case=grayscale_images(), o=orientation_counts())
@example(case=(PATCH32, 8), o=9)
def test_hog_has_one_number_per_cell_and_bin(hog_feature, case, o):
    im, c = case
    inputs = {"im": im}
    cells = hog_cells(hog_feature, im, c, o, inputs)
    expect.holds(call_text(c, o), cells.ravel(), cells.ravel() >= 0, ">= 0: a sum of gradient magnitudes",
                 inputs=inputs)
    if min(im.shape) >= 8:
        expect.equal("hog_feature(im) (the defaults)", hog_feature(im), hog_feature(im, cell_size=8, orientations=9),
                     why="hog_feature(im, cell_size=8, orientations=9)", inputs=inputs)


@prop(CONCEPT, PATCH, "The lecture's 32 x 32 patch of vertical stripes (level 10 on columns 2..5 of every 8) gives 144 numbers: 160 in bin 0 of each of the 16 cells, 0 elsewhere (up to a positive factor); transposed, 160 in bin 4.")
def test_hog_of_the_lectures_32x32_patch(hog_feature):
    for im, cell, why in ((PATCH32, CELL_OF_VERTICAL_STRIPES, "horizontal gradients, bin 0"),
                          (PATCH32.T.copy(), CELL_OF_HORIZONTAL_STRIPES, "vertical gradients, bin 4")):
        features = hog_feature(im)
        if features.shape != (144,):
            expect.fail(f"hog_feature(im) has shape {features.shape}, but should have shape (144,): 4 x 4 cells of "
                        "8 x 8 pixels, 9 bins each", {"im": im})
        expect_proportional("hog_feature(im)", features, np.tile(cell, 16), rtol=proportional_rtol(8, 144),
                            why=f"each cell: 8 rows of two steps of 10, {why}", inputs={"im": im})


@prop(CONCEPT, SLIDE, "Adding a constant to every pixel leaves the HOG unchanged: it sees only differences of neighbouring pixels.")
@given(case=grayscale_images(), o=orientation_counts(), shift=st.integers(-1000, 1000))
def test_hog_ignores_a_constant_added_to_the_image(hog_feature, case, o, shift):
    im, c = case
    # Integer values: im + shift is exact, so are its differences, which are those of im: the same numbers, exactly.
    expect.equal(f"{call_text(c, o)} with im + {shift}", hog_cells(hog_feature, im + shift, c, o, {"im": im}),
                 hog_cells(hog_feature, im, c, o, {"im": im}), why=f"{call_text(c, o)}: the gradients are the same",
                 inputs={"im": im})


@prop(CONCEPT, SLIDE, "An image of vertical stripes has only horizontal gradients: all its mass is in bin 0, each cell holding cell_size times the heights of the steps inside it (up to a positive factor).")
@given(case=striped_images(axis=1), o=st.one_of(st.just(9), st.integers(1, 16)))
@example(case=(PATCH32, 8), o=9)
def test_vertical_stripes_fill_the_bin_of_horizontal_gradients(hog_feature, case, o):
    im, c = case
    inputs = {"im": im}
    expect_proportional(call_text(c, o), hog_cells(hog_feature, im, c, o, inputs), expected_stripes_hog(im, c, o),
                        rtol=proportional_rtol(c, im.size), inputs=inputs,
                        why="[cell row, cell column, bin]: bin 0 holds the steps across the stripes")


@prop(CONCEPT, SLIDE, "Rotating an image of stripes by 90 degrees moves its mass from the bin of horizontal gradients (0) to that of vertical ones (4 of 9), and back; by 180 degrees, it stays (the orientation is unsigned).")
@given(case=striped_images(), o=orientation_counts(), turns=st.integers(1, 3))
@example(case=(PATCH32, 8), o=9, turns=1)
def test_rotating_by_90_degrees_moves_the_mass_between_the_bins(hog_feature, case, o, turns):
    im, c = case
    rotated = np.rot90(im, turns).copy()
    inputs = {"im": im, f"np.rot90(im, {turns})": rotated}
    vertical = bool((rotated == rotated[:1]).all())
    where = "bin 0 (horizontal gradients)" if vertical else f"bin {o // 2} (vertical gradients, 90 degrees)"
    expect_proportional(f"{call_text(c, o)} with im = np.rot90(im, {turns})", hog_cells(hog_feature, rotated, c, o, inputs),
                        expected_stripes_hog(rotated, c, o), rtol=proportional_rtol(c, im.size), inputs=inputs,
                        why=f"[cell row, cell column, bin]: the rotated image's stripes are "
                            f"{'vertical' if vertical else 'horizontal'}, all mass in {where}")


@prop(CONCEPT, SLIDE, "The orientation is unsigned: the negative image (255 - im, every dark-to-light edge turned light-to-dark) has the same HOG.")
@given(case=grayscale_images(), o=orientation_counts())
def test_hog_is_unsigned(hog_feature, case, o):
    im, c = case
    # 255 - im is exact and its gradients are exactly -(gx, gy): the same magnitudes, the angle + 180 degrees, which
    # folds to the same bin (no gradient near a bin edge, common.py).
    expect.equal(f"{call_text(c, o)} with im = 255 - im", hog_cells(hog_feature, 255.0 - im, c, o, {"im": im}),
                 hog_cells(hog_feature, im, c, o, {"im": im}),
                 why=f"{call_text(c, o)}: unsigned orientations, a gradient and its opposite in one bin",
                 inputs={"im": im})


@prop(CONCEPT, SLIDE, "Edges only inside one cell (i, j) show up only in that cell's entries [i, j, :] of the (H // cell_size, W // cell_size, orientations) reshape: the cells are taken from the top-left, row by row.")
@given(case=one_cell_patterns(), o=orientation_counts())
def test_an_edge_inside_one_cell_shows_only_in_that_cell(hog_feature, case, o):
    im, c, (i, j) = case
    inputs = {"im": im}
    cells = hog_cells(hog_feature, im, c, o, inputs)
    others = np.ones(cells.shape[:2], dtype=bool)
    others[i, j] = False
    expect.equal(f"{call_text(c, o)} reshaped to {cells.shape}, outside cell [{i}, {j}]",
                 np.where(others[:, :, None], cells, 0.0), np.zeros(cells.shape),
                 why=f"the image is flat outside cell [{i}, {j}] (rows {i * c}..{(i + 1) * c - 1}, columns "
                     f"{j * c}..{(j + 1) * c - 1}): no gradient anywhere else", inputs=inputs)
    total = cells[i, j].sum()
    expect.holds(f"the sum of entries [{i}, {j}, :] of {call_text(c, o)}", total, total > 0,
                 f"> 0: the edges inside cell [{i}, {j}]", inputs=inputs)


@prop(CONCEPT, SLIDE, "Scaling the image by s > 0 scales every entry of the HOG by s (magnitudes scale, orientations do not); s a power of 2, so that the scaled image is exact.")
@given(case=grayscale_images(), o=orientation_counts(), power=st.integers(-20, 20))
def test_scaling_the_image_scales_the_features(hog_feature, case, o, power):
    im, c = case
    s = 2.0**power
    # s im, its differences, their magnitudes and their sums are exactly s times those of im (a power of 2, no
    # overflow or underflow here), and the angles are the same: s * hog(im), exactly.
    expect.equal(f"{call_text(c, o)} with im = {s!r} * im", hog_cells(hog_feature, s * im, c, o, {"im": im}),
                 s * hog_cells(hog_feature, im, c, o, {"im": im}), why=f"{s!r} * {call_text(c, o)}",
                 inputs={"im": im})


@prop(CONCEPT, CS231N, "A ramp im[y, x] = a x + b y has the gradient (a, b) everywhere (x to the right, y downwards): every cell holds the same mass, all in the bin of the angle arctan2(b, a) folded into [0, 180).")
@given(case=ramps(), o=orientation_counts())
@example(case=(np.add.outer(2.0 * np.arange(10), np.arange(10)), 8, (1, 2)), o=9)
def test_a_ramp_fills_the_bin_of_its_gradient_direction(hog_feature, case, o):
    # Example: im[y, x] = x + 2 y on 10 x 10 pixels (one 8 x 8 cell): gradient (1, 2), 63.4 degrees, bin 3 of 9.
    im, c, (a, b) = case
    inputs = {"im": im}
    cells = hog_cells(hog_feature, im, c, o, inputs)
    expected = np.zeros(cells.shape)
    b_ = ramp_bin(a, b, o)
    expected[:, :, b_] = c * c * np.hypot(a, b)
    expect_proportional(call_text(c, o), cells, expected, rtol=proportional_rtol(c, cells.size), inputs=inputs,
                        why=f"the gradient (gx, gy) = ({a}, {b}) at every pixel: magnitude {np.hypot(a, b):.6g}, "
                            f"angle {np.degrees(np.arctan2(b, a)) % 180:.6g} degrees, bin {b_}")


# Helpers for the mutants and alternatives below (self-contained: they do not use impl/).


def forward_differences(im):
    """CS231n's gradients: np.diff along each axis, padded with 0 at the end."""
    gx, gy = np.zeros(im.shape), np.zeros(im.shape)
    gx[:, :-1] = np.diff(im, n=1, axis=1)
    gy[:-1, :] = np.diff(im, n=1, axis=0)
    return gx, gy


def central_differences(im):
    gy, gx = np.gradient(im)  # np.gradient returns the derivative along axis 0 (y) first
    return gx, gy


def unsigned_bins(gx, gy, o):
    angle = np.mod(np.degrees(np.arctan2(gy, gx)), 180.0)
    return np.minimum((angle // (180.0 / o)).astype(np.int64), o - 1)


def cell_sums(weights, bins, c, o, rows=None, cols=None):
    """(rows, cols, o): per cell of c x c pixels from the top-left and per bin, the sum of the weights."""
    rows = weights.shape[0] // c if rows is None else rows
    cols = weights.shape[1] // c if cols is None else cols
    out = np.zeros((rows, cols, o))
    for i in range(rows):
        for j in range(cols):
            block = np.s_[i * c:(i + 1) * c, j * c:(j + 1) * c]
            out[i, j] = np.bincount(bins[block].ravel(), weights=weights[block].ravel(), minlength=o)
    return out


def hog_from(gx, gy, c, o):
    return cell_sums(np.hypot(gx, gy), unsigned_bins(gx, gy, o), c, o)


# Mutants.


@mutant(of="hog_feature", kills=[test_vertical_stripes_fill_the_bin_of_horizontal_gradients, test_hog_is_unsigned,
                                 test_a_ramp_fills_the_bin_of_its_gradient_direction])
def hog_with_signed_orientation(im, cell_size=8, orientations=9):
    """Signed orientations, arctan2 in [0, 360) cut into the 9 bins (40 degrees each): a dark-to-light and a
    light-to-dark edge land in different bins."""
    gx, gy = central_differences(im)
    angle = np.mod(np.degrees(np.arctan2(gy, gx)), 360.0)
    bins = np.minimum((angle // (360.0 / orientations)).astype(np.int64), orientations - 1)
    return cell_sums(np.hypot(gx, gy), bins, cell_size, orientations).ravel()


@mutant(of="hog_feature", kills=[test_vertical_stripes_fill_the_bin_of_horizontal_gradients,
                                 test_rotating_by_90_degrees_moves_the_mass_between_the_bins, test_hog_is_unsigned,
                                 test_a_ramp_fills_the_bin_of_its_gradient_direction])
def hog_measured_from_the_vertical(im, cell_size=8, orientations=9):
    """CS231n's angle, arctan2(gy, gx + 1e-15) in degrees + 90, binned over [0, 180) by masks: the angle is
    measured from the vertical, and the gradients pointing left (angles in [180, 270]) are dropped."""
    gx, gy = forward_differences(im)
    angle = np.degrees(np.arctan2(gy, gx + 1e-15)) + 90.0
    magnitude = np.hypot(gx, gy)
    width = 180.0 / orientations
    rows, cols = im.shape[0] // cell_size, im.shape[1] // cell_size
    out = np.zeros((rows, cols, orientations))
    for b in range(orientations):
        mask = (angle >= width * b) & (angle < width * (b + 1))
        out[:, :, b] = cell_sums(np.where(mask, magnitude, 0.0), np.zeros(im.shape, dtype=np.int64), cell_size, 1)[:, :, 0]
    return out.ravel()


@mutant(of="hog_feature", kills=[test_vertical_stripes_fill_the_bin_of_horizontal_gradients,
                                 test_an_edge_inside_one_cell_shows_only_in_that_cell])
def hog_with_cells_transposed(im, cell_size=8, orientations=9):
    """The cells in column-major order (CS231n's .T on each bin's map): entry [j, i, b] holds cell (i, j)."""
    gx, gy = central_differences(im)
    return hog_from(gx, gy, cell_size, orientations).transpose(1, 0, 2).ravel()


@mutant(of="hog_feature", kills=[test_vertical_stripes_fill_the_bin_of_horizontal_gradients,
                                 test_rotating_by_90_degrees_moves_the_mass_between_the_bins,
                                 test_a_ramp_fills_the_bin_of_its_gradient_direction])
def hog_with_gradient_axes_swapped(im, cell_size=8, orientations=9):
    """gx, gy = np.gradient(im): but np.gradient gives the derivative along axis 0 (gy) first."""
    gx, gy = np.gradient(im)
    return hog_from(gx, gy, cell_size, orientations).ravel()


@mutant(of="hog_feature", kills=[test_hog_has_one_number_per_cell_and_bin, test_hog_of_the_lectures_32x32_patch])
def hog_without_the_last_cell_row_and_column(im, cell_size=8, orientations=9):
    """Cells started at range(0, H - cell_size, cell_size): one cell row (column) short when H (W) is a multiple of
    cell_size."""
    gx, gy = central_differences(im)
    rows = len(range(0, im.shape[0] - cell_size, cell_size))
    cols = len(range(0, im.shape[1] - cell_size, cell_size))
    return cell_sums(np.hypot(gx, gy), unsigned_bins(gx, gy, orientations), cell_size, orientations, rows, cols).ravel()


@mutant(of="hog_feature", kills=[test_hog_has_one_number_per_cell_and_bin])
def hog_with_partial_cells(im, cell_size=8, orientations=9):
    """ceil(H / cell_size) cells a column: the pixels past the last whole cell make a partial cell of their own."""
    gx, gy = central_differences(im)
    rows, cols = -(-im.shape[0] // cell_size), -(-im.shape[1] // cell_size)
    return cell_sums(np.hypot(gx, gy), unsigned_bins(gx, gy, orientations), cell_size, orientations, rows, cols).ravel()


@mutant(of="hog_feature", kills=[test_vertical_stripes_fill_the_bin_of_horizontal_gradients,
                                 test_scaling_the_image_scales_the_features])
def hog_with_squared_magnitudes(im, cell_size=8, orientations=9):
    """gx**2 + gy**2 without the square root."""
    gx, gy = central_differences(im)
    return cell_sums(gx**2 + gy**2, unsigned_bins(gx, gy, orientations), cell_size, orientations).ravel()


@mutant(of="hog_feature", kills=[test_hog_ignores_a_constant_added_to_the_image,
                                 test_scaling_the_image_scales_the_features])
def hog_of_the_image_divided_by_its_maximum(im, cell_size=8, orientations=9):
    """im / im.max() first, "to bring it to [0, 1]": the features no longer scale with the image, and a constant
    added changes them."""
    scaled = im / im.max() if im.max() != 0 else im
    gx, gy = central_differences(scaled)
    return hog_from(gx, gy, cell_size, orientations).ravel()


@mutant(of="hog_feature", kills=[test_vertical_stripes_fill_the_bin_of_horizontal_gradients,
                                 test_an_edge_inside_one_cell_shows_only_in_that_cell])
def hog_with_the_bins_first(im, cell_size=8, orientations=9):
    """Stacked one bin's map of cells after another: the layout (bin, cell row, cell column)."""
    gx, gy = central_differences(im)
    return hog_from(gx, gy, cell_size, orientations).transpose(2, 0, 1).ravel()


@mutant(of="hog_feature", kills=[test_vertical_stripes_fill_the_bin_of_horizontal_gradients,
                                 test_an_edge_inside_one_cell_shows_only_in_that_cell,
                                 test_scaling_the_image_scales_the_features])
def hog_counting_pixels(im, cell_size=8, orientations=9):
    """+1 per pixel in its orientation's bin instead of its gradient magnitude (flat pixels, angle 0, fill bin 0)."""
    gx, gy = central_differences(im)
    return cell_sums(np.ones(im.shape), unsigned_bins(gx, gy, orientations), cell_size, orientations).ravel()


@mutant(of="hog_feature", kills=[test_a_ramp_fills_the_bin_of_its_gradient_direction])
def hog_with_y_upwards(im, cell_size=8, orientations=9):
    """The angle with y pointing up, arctan2(-gy, gx), as in a maths textbook: orientations mirrored (theta becomes
    180 - theta), which horizontal and vertical gradients do not show."""
    gx, gy = central_differences(im)
    return hog_from(gx, -gy, cell_size, orientations).ravel()


# Correct alternatives.


@alternative(of="hog_feature")
def hog_by_forward_differences_averaged(im, cell_size=8, orientations=9):
    """CS231n's gradients (np.diff padded with 0), its angle arctan2(gy, gx + 1e-15) (folded into [0, 180), not
    +90), a mask per bin, and its average over each cell instead of the sum."""
    gx, gy = forward_differences(im)
    angle = np.mod(np.degrees(np.arctan2(gy, gx + 1e-15)), 180.0)
    magnitude = np.sqrt(gx**2 + gy**2)
    c = cell_size
    rows, cols = im.shape[0] // c, im.shape[1] // c
    out = np.zeros((rows, cols, orientations))
    width = 180.0 / orientations
    for b in range(orientations):
        mask = (angle >= width * b) & (angle < width * (b + 1))
        temp = np.where(mask, magnitude, 0.0)[:rows * c, :cols * c]
        out[:, :, b] = temp.reshape(rows, c, cols, c).mean(axis=(1, 3))
    return out.ravel()


@alternative(of="hog_feature")
def hog_with_loops_over_cells(im, cell_size=8, orientations=9):
    """np.gradient, then a loop over the cells with np.histogram(angles, bins=linspace(0, 180, o + 1),
    weights=magnitudes) for each."""
    gx, gy = central_differences(im)
    angle = np.mod(np.degrees(np.arctan2(gy, gx)), 180.0)
    magnitude = np.hypot(gx, gy)
    c = cell_size
    edges = np.linspace(0.0, 180.0, orientations + 1)
    features = []
    for i in range(im.shape[0] // c):
        for j in range(im.shape[1] // c):
            block = np.s_[i * c:(i + 1) * c, j * c:(j + 1) * c]
            features.append(np.histogram(angle[block], bins=edges, weights=magnitude[block])[0])
    return np.concatenate(features).astype(np.float64)


@alternative(of="hog_feature")
def hog_in_radians_with_bincount(im, cell_size=8, orientations=9):
    """The angle in radians, arctan2 modulo pi, bins of pi / orientations, and one np.bincount over a flat index
    (cell row, cell column, bin)."""
    gx, gy = central_differences(im)
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    bins = np.minimum(np.floor(angle / (np.pi / orientations)).astype(np.int64), orientations - 1)
    c = cell_size
    rows, cols = im.shape[0] // c, im.shape[1] // c
    r, q = np.mgrid[0:rows * c, 0:cols * c]
    index = ((r // c) * cols + q // c) * orientations + bins[:rows * c, :cols * c]
    weights = np.hypot(gx, gy)[:rows * c, :cols * c]
    return np.bincount(index.ravel(), weights=weights.ravel(), minlength=rows * cols * orientations).astype(np.float64)
