"""Image features: the hue histogram and the histogram of oriented gradients (contract: spec/contract/features.py).

Both are vectorized: no Python loop over pixels or cells. Bins are counted with np.bincount on a flat bin index.
"""

import numpy as np

from impl import _validate


def _image(name, im, dims):
    """im as a finite float64 array of the given rank; `dims` names its axes for the message, e.g. "(H, W, 3)"."""
    im = _validate.real_array(name, im)
    rank = dims.count(",") + 1
    if im.ndim != rank or (dims.endswith("3)") and im.shape[-1] != 3):
        raise ValueError(f"{name} must have shape {dims}, got shape {im.shape}")
    if not np.isfinite(im).all():
        raise ValueError(f"{name} must be finite, got NaN or inf")
    return im


def _hue(im):
    """The H of HSV in [0, 1] (matplotlib.colors.rgb_to_hsv's convention), 0 for grey pixels. A hue that is
    mathematically just below 1 may round to exactly 1.0 (a tiny negative (g - b) / d modulo 6 gives 6.0): the caller
    bins it into the last bin, where it belongs."""
    r, g, b = im[..., 0], im[..., 1], im[..., 2]
    top = im.max(axis=-1)
    d = top - im.min(axis=-1)
    safe = np.where(d > 0, d, 1.0)  # grey pixels (d = 0) get hue 0 below; avoid 0 / 0
    sector = np.where(top == r, np.mod((g - b) / safe, 6.0),
                      np.where(top == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0))
    return np.where(d > 0, sector / 6.0, 0.0)


def color_histogram_hsv(im, nbin=10, normalized=True):
    im = _image("image im", im, "(H, W, 3)")
    if im.shape[0] * im.shape[1] == 0:
        raise ValueError(f"image im must hold at least one pixel (H, W >= 1), got shape {im.shape}")
    if (im < 0).any():
        raise ValueError(f"image im must hold values >= 0, got a minimum of {float(im.min())!r}")
    nbin = _validate.count("nbin", nbin, 1)
    if not isinstance(normalized, (bool, np.bool_)):
        raise ValueError(f"normalized must be True or False, got {normalized!r}")
    # Bin b holds [b / nbin, (b + 1) / nbin): floor(h * nbin), with h * nbin rounding up to nbin (h just below 1,
    # or exactly 1.0 after rounding) kept in the last bin.
    index = np.minimum(np.floor(_hue(im) * nbin).astype(np.int64), nbin - 1)
    counts = np.bincount(index.ravel(), minlength=nbin).astype(np.float64)
    return counts / index.size if normalized else counts


def _central_differences(im, axis):
    """np.gradient's finite differences along one axis: (f[i+1] - f[i-1]) / 2 inside, one-sided at the two ends,
    and 0 along an axis of length 1 (where np.gradient refuses)."""
    n = im.shape[axis]
    out = np.zeros_like(im)
    if n < 2:
        return out
    f = np.moveaxis(im, axis, 0)
    g = np.moveaxis(out, axis, 0)  # a view: writing g writes out
    g[1:-1] = (f[2:] - f[:-2]) / 2.0
    g[0] = f[1] - f[0]
    g[-1] = f[-1] - f[-2]
    return out


def hog_feature(im, cell_size=8, orientations=9):
    im = _image("grayscale image im", im, "(H, W)")
    cell_size = _validate.count("cell_size", cell_size, 1)
    orientations = _validate.count("orientations", orientations, 1)
    height, width = im.shape
    if height < cell_size or width < cell_size:
        raise ValueError(f"grayscale image im must be at least cell_size x cell_size = {cell_size} x {cell_size} "
                         f"(H, W >= cell_size), got shape {im.shape}")
    gx = _central_differences(im, 1)  # along a row: x to the right
    gy = _central_differences(im, 0)  # along a column: y downwards
    magnitude = np.hypot(gx, gy)
    # Unsigned orientation in [0, 180): arctan2 in (-180, 180] folded modulo 180. A tiny negative angle folds to
    # exactly 180.0 after rounding (mathematically just below 180): min(..., orientations - 1) keeps it in the last
    # bin, as it does an angle whose quotient by the bin width rounds up to `orientations`.
    angle = np.mod(np.degrees(np.arctan2(gy, gx)), 180.0)
    bins = np.minimum(np.floor(angle / (180.0 / orientations)).astype(np.int64), orientations - 1)
    rows, cols = height // cell_size, width // cell_size
    used = np.s_[:rows * cell_size, :cols * cell_size]  # pixels past the last whole cell are left out
    cell = (np.arange(rows * cell_size) // cell_size)[:, None] * cols + np.arange(cols * cell_size) // cell_size
    index = cell * orientations + bins[used]  # entry [i, j, b] of the (rows, cols, orientations) layout
    histogram = np.bincount(index.ravel(), weights=magnitude[used].ravel(), minlength=rows * cols * orientations)
    return histogram.astype(np.float64)
