"""k-nearest neighbours (module ``knn``; CS231n ``k_nearest_neighbor.py`` conventions, as functions).

X_train is (N_train, D), X is (N_test, D); distance matrices are (N_test, N_train) Euclidean distances.
"""
