"""Chapter: hand-made image features, in CS231n's features.py convention: ``color_histogram_hsv(im, nbin,
normalized)``, the histogram of an RGB image's hues, and ``hog_feature(im, cell_size, orientations)``, the
histogram of oriented gradients of a grayscale image over cells of cell_size x cell_size pixels.

Lecture: CS231n lecture 4 (2015), slides 10-14 ("Brief aside: Image Features": the colour (hue) histogram, "+1" per
pixel in its hue's bin; HOG, "8x8 pixel region, quantize the edge orientation into 9 bins"; a 32 x 32 patch gives
"144 numbers"), and CS231n's assignment 1 features.py.

The properties avoid the places where correct implementations may differ by rounding:
- hues: images are built from hues drawn inside a bin, at least MARGIN of its width from either edge, so that no
  rounding (of the hue, or of the image when it is rescaled) moves a pixel to another bin; the primary and
  secondary colours (hues k / 6) are binned with a number of bins prime to 6, so none of them sits on an edge;
- gradients: images have integer pixel values (times a power of 2), so that differences are exact, and an odd
  number of orientation bins (no edge at 45, 90 or 135 degrees, the only angles with a rational tangent);
- central differences (np.gradient) and CS231n's forward differences (np.diff padded with 0) agree on stripes whose
  steps stay away from the cell edges and on ramps whose last row and column lie past the last whole cell; other
  properties compare an implementation with itself (adding a constant, scaling, negating the image).
"""
