"""Chapter: a bag of visual words. k-means by Lloyd's iterations (kmeans(X, k, num_iters, seed, init) ->
(centroids, labels, loss_history)) learns a vocabulary of k visual words from many local descriptors; an image is
then described by the histogram of its descriptors over their nearest words (bag_of_words(descriptors, vocabulary,
normalized) -> k counts or fractions).

Lecture: CS231n lecture 4 (Li, Karpathy, 7 Jan 2015), slides 14-16 ("Example: Bag of Words": resize each detected
patch to 32 x 32, extract HOG on it, 144 numbers, so an image gives a [number_of_features x 144] matrix; learn k-means
centroids, a "vocabulary of visual words", e.g. 1000 centroids; the image becomes a 1000-d histogram of visual
words). The slides name k-means without its steps: Lloyd's iterations (assign every point to its nearest centroid,
move every centroid to the mean of its points) are the algorithm as the contract states it.

Shared here (common.py): the trusted Lloyd's iterations and nearest-word histogram, computed straight from the
definitions; the tolerances derived from float64; strategies for clustered point clouds, initial centroids and
vocabularies with their descriptors.
"""
