import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from documents.components import components, count

PACKAGE = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("shape", [(0, 7), (7, 0), (0, 0)])
@pytest.mark.parametrize("ltype", [cv2.CV_32S, cv2.CV_16U])
def test_an_empty_mask_is_background_alone(shape: tuple[int, int], ltype: int) -> None:
    # cv2.connectedComponentsWithStats on such a mask kills the process (SIGSEGV, OpenCV 4.14).
    found, labels, stats = components(np.zeros(shape, np.uint8), 8, ltype)
    assert found == 1 and labels.shape == shape and labels.dtype == (np.uint16 if ltype == cv2.CV_16U else np.int32)
    assert stats.tolist() == [[0, 0, shape[1], shape[0], 0]]
    assert stats[1:, cv2.CC_STAT_AREA].size == 0  # callers filter the pieces after the background: none
    assert count(np.zeros(shape, np.uint8)) == 0


def test_a_mask_with_ink_is_labelled_as_opencv_labels_it() -> None:
    mask = np.zeros((20, 30), np.uint8)
    mask[2:5, 3:9] = 1
    mask[10:18, 20:22] = 1
    mask[12, 5] = 1
    found, labels, stats = components(mask, 4)
    reference = cv2.connectedComponentsWithStats(mask, connectivity=4)
    assert found == reference[0] == 4
    assert np.array_equal(labels, reference[1]) and np.array_equal(stats, reference[2])
    assert count(mask) == 3


def test_no_module_calls_opencvs_connected_components_but_the_safe_one() -> None:
    calls = re.compile(r"cv2\.connectedComponents")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and path.name != "components.py" and calls.search(path.read_text())
    ]
    assert offenders == []
