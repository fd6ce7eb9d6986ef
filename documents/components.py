"""Connected components of a binary mask: OpenCV's, safe on an empty mask.

OpenCV 4.14's `connectedComponents` and `connectedComponentsWithStats` write through a null pointer
when the image has no rows or no columns (measured: the process dies of SIGSEGV, where every other
cv2 call of this package raises cv2.error). A crop cut off by the page's edge or a seal off its
line's band is such a mask, and a dead process is a Django-Q worker lost with its task. Every call
goes through here (documents/tests/test_components.py holds the package to that).
"""

from __future__ import annotations

import cv2
import numpy as np


def components(mask: np.ndarray, connectivity: int = 8, ltype: int = cv2.CV_32S) -> tuple[int, np.ndarray, np.ndarray]:
    """(count, labels, stats) as `cv2.connectedComponentsWithStats` gives them: label 0 and stats row
    0 are the background; an empty mask is background alone."""
    if mask.size == 0:
        height, width = mask.shape[:2]
        labels = np.zeros(mask.shape[:2], dtype=np.uint16 if ltype == cv2.CV_16U else np.int32)
        return 1, labels, np.array([[0, 0, width, height, 0]], dtype=np.int32)
    found, labelled, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=ltype)
    return found, np.asarray(labelled), np.asarray(stats)


def count(mask: np.ndarray, connectivity: int = 8) -> int:
    """How many pieces (the background not counted) a mask holds; 0 for an empty one."""
    if mask.size == 0:
        return 0
    return int(cv2.connectedComponents(mask, connectivity=connectivity)[0]) - 1
