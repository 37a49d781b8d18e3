"""Linear classifiers on weights (module ``linear_classifier``; CS231n ``linear_svm.py``, ``softmax.py`` and
``linear_classifier.py`` conventions).

X is (N, D) with one example per row, W is (D, C), b is (C,); scores are X @ W + b, shape (N, C). The losses on
weights return ``(loss, dW)``: the data loss averaged over N plus ``reg * sum(W**2)``, and its gradient.
"""
