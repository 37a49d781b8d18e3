"""The reference impl/features.py rejects malformed input with a ValueError that names the argument and what it
should be, before any arithmetic; and it keeps the hues and angles that round onto the end of their range in the
last bin."""

import numpy as np
import pytest

from impl import features

RGB = np.array([[[255.0, 0.0, 0.0], [0.0, 255.0, 0.0]], [[0.0, 0.0, 255.0], [10.0, 10.0, 10.0]]])
GRAY = np.arange(64.0).reshape(8, 8)


def test_color_histogram_wants_an_rgb_image():
    with pytest.raises(ValueError, match=r"image im must have shape \(H, W, 3\), got shape \(2, 2\)"):
        features.color_histogram_hsv(RGB[..., 0])
    with pytest.raises(ValueError, match=r"image im must have shape \(H, W, 3\), got shape \(2, 2, 4\)"):
        features.color_histogram_hsv(np.zeros((2, 2, 4)))
    with pytest.raises(ValueError, match=r"image im must be an array of real numbers, got dtype <U1"):
        features.color_histogram_hsv(np.array([[["a", "b", "c"]]]))
    with pytest.raises(ValueError, match=r"image im must be finite, got NaN or inf"):
        features.color_histogram_hsv(np.array([[[np.nan, 0.0, 0.0]]]))
    with pytest.raises(ValueError, match=r"image im must hold at least one pixel \(H, W >= 1\), got shape \(0, 2, 3\)"):
        features.color_histogram_hsv(np.zeros((0, 2, 3)))
    with pytest.raises(ValueError, match=r"image im must hold values >= 0, got a minimum of -1.0"):
        features.color_histogram_hsv(np.array([[[-1.0, 0.0, 0.0]]]))


def test_color_histogram_checks_nbin_and_normalized():
    with pytest.raises(ValueError, match=r"nbin must be an integer >= 1, got 0"):
        features.color_histogram_hsv(RGB, nbin=0)
    with pytest.raises(ValueError, match=r"nbin must be an integer >= 1, got 2.0"):
        features.color_histogram_hsv(RGB, nbin=2.0)
    with pytest.raises(ValueError, match=r"normalized must be True or False, got 1"):
        features.color_histogram_hsv(RGB, normalized=1)


def test_color_histogram_accepts_uint8_pixels():
    hist = features.color_histogram_hsv(RGB.astype(np.uint8), nbin=7, normalized=False)
    assert hist.dtype == np.float64 and hist.tolist() == [2.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0]  # red, grey; green; blue


def test_a_hue_that_rounds_to_1_counts_in_the_last_bin():
    # (1, 0, 1e-17): (g - b) / d = -1e-17, and -1e-17 mod 6 rounds to 6.0: the hue, 1 - 1.7e-18 exactly, is 1.0 in
    # float64. It belongs to the last bin (matplotlib's rgb_to_hsv returns 1.0 too, and CS231n's np.histogram puts
    # it in the last, closed bin).
    assert np.mod(-1e-17, 6.0) == 6.0
    assert features.color_histogram_hsv(np.array([[[1.0, 0.0, 1e-17]]]), nbin=4, normalized=False).tolist() == [
        0.0, 0.0, 0.0, 1.0]


def test_hog_wants_a_grayscale_image_of_at_least_one_cell():
    with pytest.raises(ValueError, match=r"grayscale image im must have shape \(H, W\), got shape \(8, 8, 3\)"):
        features.hog_feature(np.zeros((8, 8, 3)))
    with pytest.raises(ValueError, match=r"grayscale image im must have shape \(H, W\), got shape \(8,\)"):
        features.hog_feature(np.zeros(8))
    with pytest.raises(ValueError, match=r"grayscale image im must be finite, got NaN or inf"):
        features.hog_feature(np.full((8, 8), np.inf))
    with pytest.raises(ValueError, match=r"at least cell_size x cell_size = 8 x 8 \(H, W >= cell_size\), got shape \(7, 9\)"):
        features.hog_feature(np.zeros((7, 9)))


def test_hog_checks_cell_size_and_orientations():
    with pytest.raises(ValueError, match=r"cell_size must be an integer >= 1, got 0"):
        features.hog_feature(GRAY, cell_size=0)
    with pytest.raises(ValueError, match=r"orientations must be an integer >= 1, got 0"):
        features.hog_feature(GRAY, orientations=0)
    with pytest.raises(ValueError, match=r"orientations must be an integer >= 1, got 9.0"):
        features.hog_feature(GRAY, orientations=9.0)


def test_hog_of_a_one_pixel_wide_image():
    # np.gradient refuses an axis of length 1; the reference takes the gradient along it as 0.
    column = np.arange(4.0)[:, None]
    assert features.hog_feature(column, cell_size=1, orientations=3).tolist() == [
        0.0, 1.0, 0.0] * 4  # gy = 1 everywhere: 90 degrees, bin 1 of 3


def test_an_angle_that_rounds_to_180_counts_in_the_last_bin():
    # In the left column gx = 1, gy = -1e-20: arctan2 gives -5.7e-19 degrees, which modulo 180 rounds to exactly
    # 180.0 (mathematically just below it): the last bin, not an index out of range. The right column: gy = 0, bin 0.
    assert np.mod(np.degrees(np.arctan2(-1e-20, 1.0)), 180.0) == 180.0
    im = np.array([[0.0, 1.0], [-1e-20, 1.0]])
    hist = features.hog_feature(im, cell_size=2, orientations=9)
    assert hist.tolist() == [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]


def test_hog_accepts_uint8_pixels():
    # A uint8 difference would wrap around below 0: the reference converts to float64 first.
    im = np.tile(np.array([0, 0, 10, 10, 10, 10, 0, 0], dtype=np.uint8), (8, 1))
    hist = features.hog_feature(im)
    assert hist.dtype == np.float64 and hist[0] == 160.0 and hist[1:].sum() == 0.0
