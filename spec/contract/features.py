"""Image features (module ``features``; CS231n lecture 4, "image features").

Before end-to-end networks an image was classified from hand-made feature vectors fed to a linear classifier:
a colour (hue) histogram, which ignores where the colours are, and a histogram of oriented gradients (HOG), which
keeps the local edge directions and ignores the colours. Both return a 1-D float64 feature vector.
"""

from spec.contract.types import Array, Flag, Integer


def color_histogram_hsv(
    im: Array("H", "W", 3), nbin: Integer(sizes="nbin") = 10, normalized: Flag() = True
) -> Array("nbin"):
    """The histogram of an RGB image's hues (CS231n lecture 4's colour histogram; CS231n features.py).

    The hue of a pixel (r, g, b) is the H of HSV, in [0, 1): with M = max(r, g, b), m = min(r, g, b) and d = M - m,
    h = ((g - b) / d mod 6) / 6 when M = r, ((b - r) / d + 2) / 6 when M = g, ((r - g) / d + 4) / 6 when M = b,
    and h = 0 for a grey pixel (d = 0): red 0, yellow 1/6, green 1/3, cyan 1/2, blue 2/3, magenta 5/6
    (matplotlib.colors.rgb_to_hsv's convention). The hue does not depend on the scale of the values, so an image in
    [0, 255] and the same image in [0, 1] have the same histogram.

    Inputs:
    - im: an RGB image of shape (H, W, 3), values >= 0 (CS231n's are in [0, 255]); read-only.
    - nbin: the number of bins; bin b counts the hues in [b / nbin, (b + 1) / nbin). A hue just below 1 that rounds
      to 1.0 (or that bin arithmetic puts at nbin) counts in the last bin.
    - normalized: divide the counts by the number of pixels, so that they sum to 1.

    Returns the histogram, an ndarray of float64 of shape (nbin,): the number (normalized: the fraction) of pixels
    whose hue is in each bin. It sums to H * W (normalized: 1) and does not depend on where the pixels are.
    """


def hog_feature(im: Array("H", "W"), cell_size: Integer() = 8, orientations: Integer() = 9) -> Array("F"):
    """The histogram of oriented gradients of a grayscale image (CS231n lecture 4: "8x8 pixel region, quantize the
    edge orientation into 9 bins"; Dalal and Triggs 2005, without their block normalization).

    The image gradient (gx, gy) is taken by finite differences, gx along a row (x to the right, axis 1) and gy along
    a column (y downwards, axis 0): central differences (np.gradient) or forward differences padded with 0 (CS231n's
    np.diff) are both accepted, and the properties use images on which they agree. A pixel's orientation is
    unsigned, the angle of its gradient folded into [0, 180) degrees (arctan2(gy, gx) modulo 180: a dark-to-light
    and a light-to-dark edge count alike); bin b holds the angles in [b * 180 / orientations,
    (b + 1) * 180 / orientations) (an angle that rounds to 180.0 counts in the last bin), so with 9 bins a horizontal gradient (an edge between vertical stripes) lands in
    bin 0 and a vertical one in bin 4. The image is cut into cells of cell_size x cell_size pixels from the top-left
    corner (pixels past the last whole cell are left out); the histogram of a cell holds, for each orientation bin,
    the sum of the gradient magnitudes sqrt(gx**2 + gy**2) of the cell's pixels whose orientation is in the bin.
    CS231n's average over the cell (the sum divided by cell_size**2) passes too: the properties compare histograms
    up to a positive factor. Not CS231n's own hog_feature, which measures the angle from the vertical and drops the
    gradients pointing one way.

    Inputs:
    - im: a grayscale image of shape (H, W), H and W >= max(cell_size, 2) (a difference needs two pixels);
      read-only.
    - cell_size: the side of a cell in pixels.
    - orientations: the number of orientation bins over [0, 180) degrees.

    Returns the feature vector, an ndarray of float64 of shape (F,) with F = (H // cell_size) * (W // cell_size) *
    orientations: reshaped to (H // cell_size, W // cell_size, orientations), entry [i, j, b] is bin b of the cell in
    cell row i and cell column j. A 32 x 32 image with 8 x 8 cells and 9 bins gives the lecture's 144 numbers.
    """
