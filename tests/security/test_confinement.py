"""The limits of the confined child hold, whatever the task does: CPU time, memory, wall-clock time.

What is measured is the mechanism (the kernel's count of the child's CPU time and peak memory against
the limits we set), not the speed of this machine.
"""

from __future__ import annotations

from documents.assemble import ASSEMBLY_LIMITS
from tests.security import corpus
from uploads.confinement import Limits, run_confined
from uploads.pdf import INSPECTION_LIMITS

SMALL = Limits(cpu_seconds=1, memory_mb=256, wall_seconds=8)


def test_a_task_that_burns_cpu_is_stopped_at_the_cpu_limit():
    outcome = run_confined("tests.security.hungry:spin", [], SMALL)
    assert outcome.stopped == "cpu" and outcome.result is None
    assert SMALL.cpu_seconds * 0.5 <= outcome.cpu_seconds <= SMALL.cpu_seconds + 1.5  # soft limit, then hard


def test_a_task_that_eats_memory_is_stopped_below_the_memory_limit():
    outcome = run_confined("tests.security.hungry:hog", [], SMALL)
    assert outcome.stopped == "memory" and outcome.result is None
    assert 100 < outcome.peak_rss_mb <= SMALL.memory_mb  # it got far, and no further than the limit


def test_a_task_that_waits_is_killed_at_the_wall_clock_limit():
    limits = Limits(cpu_seconds=5, memory_mb=256, wall_seconds=1.5)
    outcome = run_confined("tests.security.hungry:wait", [], limits)
    assert outcome.stopped == "wall" and outcome.cpu_seconds < 1
    assert limits.wall_seconds <= outcome.wall_seconds < limits.wall_seconds + 2


def test_the_limits_of_uploads_and_assembly_are_a_few_seconds_and_a_few_hundred_mb():
    assert INSPECTION_LIMITS.cpu_seconds <= 5 and INSPECTION_LIMITS.memory_mb <= 512
    assert INSPECTION_LIMITS.wall_seconds <= 15
    assert ASSEMBLY_LIMITS.cpu_seconds <= 30 and ASSEMBLY_LIMITS.memory_mb <= 1024


def test_the_page_tree_bomb_is_refused_within_the_inspection_limits():
    """32 kids × 4 levels, one node repeated: 1,048,576 pages for whoever follows the tree; refused at once."""
    bomb = corpus.page_tree_bomb(32, 4)
    assert len(bomb) < 2000
    outcome = run_confined("uploads.reading:inspect", [bomb], INSPECTION_LIMITS, max_pages=200, normalise=True)
    assert outcome.stopped is None and outcome.result["refused"] == "unreadable"
    assert outcome.cpu_seconds < INSPECTION_LIMITS.cpu_seconds
    assert outcome.peak_rss_mb < INSPECTION_LIMITS.memory_mb / 4


def test_a_large_tree_stops_counting_at_the_page_limit():
    """3,000 distinct pages against a limit of 200: refused as too long, without reading the rest."""
    count = 3000
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % n for n in range(3, 3 + count)),
                                                                 count)}
    objects.update({n: corpus.PAGE for n in range(3, 3 + count)})
    outcome = run_confined("uploads.reading:inspect", [corpus.raw_pdf(objects)], INSPECTION_LIMITS, max_pages=200,
                           normalise=True)
    assert outcome.result == {"refused": "too_many_pages"}


def test_the_peak_memory_measured_is_the_childs_not_its_parents():
    """ru_maxrss of a child counts the parent's memory at fork; the measure taken must not."""
    ballast = bytearray(200 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # resident, not only reserved
    outcome = run_confined("uploads.reading:inspect", [corpus.plain_pdf()], INSPECTION_LIMITS, max_pages=200,
                           normalise=True)
    assert outcome.result["pages"] == 2 and 5 < outcome.peak_rss_mb < 150
    del ballast
