"""Mutation testing: does the test suite notice when a rule is wrong?

    python benchmarks/mutation.py [--jobs 2] [--timeout SECONDS] [--only NAME ...] [--list]
                                  [--tests-from REV]

Applies each mutant of the fixed catalogue in `benchmarks/mutants/` (a small, deliberate bug in
`checks/`, `scoring/`, the scheme loader, the value parser, the formula evaluator, the guard, the
output writers, output ownership or the batch status) to a private copy of the repository,
runs the fast part of the suite (`pytest -m "not slow" -x`) against it, and prints one line per
mutant (killed / survived / timeout, with the test that failed first), the survivors and the
mutation score. The source tree is never touched: each worker owns a copy in a temporary
folder, and the mutated file is restored there after every run, also when a run fails or is
interrupted.

A mutant whose original snippet is not found exactly once in its file is STALE: it is listed,
never counted as killed, and the exit code is 1, so the catalogue is kept up to date as the code
changes. Mutants marked `equivalent` (no test can tell them from the original; the catalogue
says why) are run too, and reported apart; the score is killed ÷ (all − equivalent). A timed
out mutant counts as killed (the suite noticed something), but is shown as `timeout`.

A kill is confirmed: the failing test must fail again, alone, with the mutant, and pass without
it. A few tests stop real processes at a moment (signals, timings) and may fail on a busy
machine whatever the code; such a failure is no kill: the test is left out (`--deselect`) and
the mutant's suite run again (at most twice; the result says which tests were left out). The
unmutated run is tried up to three times for the same reason.

`--tests-from REV` takes `tests/` (and `docs/`, README, which tests check) from a git revision
instead of the working tree: the "before" score of a change that adds tests. Not part of CI: about 15 s per surviving mutant.
Exit code: 0 when every non-equivalent mutant is killed and none is stale, 1 otherwise, 2 when
the unmutated copy does not pass the selection (nothing measured).
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutants import CATALOGUE, Mutant  # noqa: E402

PACKAGE = "selfeval_xlsx"
PYTEST = ["-m", "pytest", "-m", "not slow", "-x", "-q", "-p", "no:cacheprovider",
          "--no-header", "-W", "ignore::DeprecationWarning"]
TESTS_FROM = ("tests", "docs", "README.md")
NOT_RUN = {"tests/test_mutants.py"}  # fails on any mutated snippet by design: not a real kill
FIRST_TESTS = {  # the tests most likely to kill a mutant of a package, run first (then the rest)
    "checks/": ("tests/checks", "tests/scoring", "tests/read"),
    "scoring/": ("tests/scoring", "tests/checks"),
    "read/": ("tests/read", "tests/checks"),
    "scheme/": ("tests/scheme", "tests/scoring"),
    "xlsx/formula": ("tests/xlsx/test_formulas.py", "tests/read"),
    "xlsx/evaluator": ("tests/xlsx/test_formula_engine.py", "tests/xlsx"),
    "xlsx/guard": ("tests/xlsx",),
    "xlsx/prologue": ("tests/xlsx",),
    "xlsx/snapshot.py": ("tests/xlsx",),
    "xlsx/ownership": ("tests/output/test_targets.py", "tests/cli"),
    "xlsx/locks": ("tests/xlsx/test_locks.py",),
    "evaluate/__init__.py": ("tests/checks", "tests/cli"),
    "output/": ("tests/output", "tests/cli"),
    "batch/__init__.py": ("tests/cli",),
}
BASELINE_TRIES = 3
FLAKY_RERUNS = 2
FAILED_LINE = re.compile(r"^(?:FAILED|ERROR) ([^\s\[]+(?:\[.*?\])?)(?= - |$)", re.M)  # ids may
# hold spaces within their parameters: test_x[1000.0-= 10.00]
FAILURE_HEADER = re.compile(r"^_{3,} (?:ERROR at \w+ of )?(\S+) _{3,}$", re.M)


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    status: str  # killed, survived, timeout, stale, error (the run failed without a failing test)
    test: str = ""
    seconds: float = 0.0

    @property
    def detected(self) -> bool:
        return self.status in ("killed", "timeout")


# ---- the copies -------------------------------------------------------------------------------

def repository_files(root: Path) -> list[str]:
    """Tracked and untracked (not ignored) files of the working tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=root, capture_output=True, check=True)
    return [name for name in listed.stdout.decode().split("\0") if name and (root / name).is_file()]


def make_copy(root: Path, target: Path, tests_from: str | None) -> Path:
    """A copy of the working tree in `target`, with its own git index (a test lists the files)."""
    for name in repository_files(root):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, destination)
    if tests_from is not None:  # the tests, and the docs they check, as they were at that revision
        shutil.rmtree(target / "tests")
        shutil.rmtree(target / "docs")
        archive = subprocess.run(["git", "archive", tests_from, *TESTS_FROM], cwd=root,
                                 capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=target, capture_output=True, check=True)
    return target


def environment(copy: Path) -> dict[str, str]:
    """The copy's package first on the path (also for subprocesses); no stale bytecode."""
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    return env


def check_copy_imports_itself(copy: Path) -> None:
    found = subprocess.run([sys.executable, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"],
                           cwd=copy, env=environment(copy), capture_output=True, text=True,
                           check=True).stdout.strip()
    if not Path(found).resolve().is_relative_to(copy.resolve()):
        raise SystemExit(f"the copy imports {found}, not its own package: cannot measure")


# ---- one run ----------------------------------------------------------------------------------

def ordered_tests(copy: Path, mutant: Mutant) -> list[str]:
    """Every test file, those most likely to kill the mutant first (so -x stops early)."""
    files = sorted(str(p.relative_to(copy)) for p in (copy / "tests").rglob("test_*.py")
                   if str(p.relative_to(copy)) not in NOT_RUN)
    first = [*mutant.tests, *(t for prefix, tests in FIRST_TESTS.items()
                              if mutant.file.startswith(prefix) for t in tests)]
    first = list(dict.fromkeys(first))
    rest = [f for f in files if not any(f == t or f.startswith(t + "/") for t in first)]
    return first + rest


def run_suite(copy: Path, tests: Sequence[str], timeout: float) -> tuple[str, str, float]:
    """(status, first failing test, seconds) of the fast suite in `copy`."""
    started = time.perf_counter()
    basetemp = ["--basetemp", str(copy / ".pytest-tmp")]  # other runs never clean it up
    child = subprocess.Popen([sys.executable, *PYTEST, *basetemp, *tests], cwd=copy,
                             env=environment(copy),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    try:
        output, _ = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return "timeout", "", time.perf_counter() - started
    seconds = time.perf_counter() - started
    if child.returncode == 0:
        return "survived", "", seconds
    failed = FAILED_LINE.search(output) or FAILURE_HEADER.search(output)
    if child.returncode in (1, 2) and failed:
        return "killed", failed[1], seconds
    if child.returncode in (1, 2) and "ERROR collecting" in output:  # the mutant breaks an import
        return "killed", "(collection error)", seconds
    last = output.strip().splitlines()[-1:] or ["(no output)"]
    return "error", f"pytest exit code {child.returncode}, no failing test: {last[0][:60]}", seconds


@contextmanager
def mutated(copy: Path, mutant: Mutant) -> Iterator[None]:
    """The mutant's edits applied in `copy`; every file restored afterwards, whatever happens."""
    originals: dict[Path, str] = {}
    try:
        for file, original, replacement in mutant.edits:
            path = copy / PACKAGE / file
            text = path.read_text(encoding="utf-8")
            originals.setdefault(path, text)
            path.write_text(text.replace(original, replacement, 1), encoding="utf-8")
        yield
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")


def stale(mutant: Mutant, root: Path) -> bool:
    """A snippet is not found exactly once, or the mutant is no valid Python (not a bug a test
    should have to catch) or changes nothing."""
    for file, original, replacement in mutant.edits:
        path = root / PACKAGE / file
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if text.count(original) != 1 or original == replacement:
            return True
        try:
            compile(text.replace(original, replacement, 1), str(path), "exec")
        except SyntaxError:
            return True
    return False


def confirmed(copy: Path, mutant: Mutant, test: str, timeout: float) -> tuple[bool, float]:
    """Whether the failure of `test` is a kill, and the seconds it took to tell: it is not when
    the test passes again alone with the mutant, or fails alone without it too (a test of
    timings on a busy machine). A test that cannot be run alone is taken at its word."""
    with mutated(copy, mutant):
        again, _, seconds = run_suite(copy, [test], timeout)
    if again != "killed":
        return again != "survived", seconds
    clean, _, more = run_suite(copy, [test], timeout)
    return clean != "killed", seconds + more


def run_mutant(mutant: Mutant, copies: queue.Queue[Path], timeout: float) -> Outcome:
    """The suite with the mutant; a failure that is not confirmed is left out (--deselect) and
    the suite run again, up to FLAKY_RERUNS times."""
    copy = copies.get()
    try:
        left_out: list[str] = []
        total = 0.0
        while True:
            with mutated(copy, mutant):
                deselect = [a for t in left_out for a in ("--deselect", t)]
                status, test, seconds = run_suite(copy, [*deselect,
                                                         *ordered_tests(copy, mutant)], timeout)
            total += seconds
            if status != "killed" or test == "(collection error)" or len(left_out) >= FLAKY_RERUNS:
                break
            kill, more = confirmed(copy, mutant, test, timeout)
            total += more
            if kill:
                break
            left_out.append(test)
        note = f" (flaky, left out: {', '.join(left_out)})" if left_out else ""
        return Outcome(mutant, status, test + note, total)
    finally:
        copies.put(copy)


def baseline(copy: Path) -> tuple[str, str, float]:
    """The unmutated run, tried up to BASELINE_TRIES times (a timing test may fail once)."""
    for _ in range(BASELINE_TRIES):
        status, test, seconds = run_suite(copy, ordered_tests(copy, CATALOGUE[0]), timeout=900)
        if status == "survived":
            break
        print(f"the unmutated copy failed: {status} {test}", file=sys.stderr, flush=True)
    return status, test, seconds


# ---- the report -------------------------------------------------------------------------------

def print_table(outcomes: Sequence[Outcome]) -> None:
    width = max(len(o.mutant.name) for o in outcomes)
    print(f"{'mutant':<{width}}  {'result':<10} {'s':>5}  killed by / why equivalent")
    for o in outcomes:
        status = o.status + ("*" if o.mutant.equivalent else "")
        note = o.mutant.equivalent if o.mutant.equivalent and not o.detected else o.test
        print(f"{o.mutant.name:<{width}}  {status:<10} {o.seconds:5.1f}  {note}")


def summarise(outcomes: Sequence[Outcome]) -> int:
    counted = [o for o in outcomes if not o.mutant.equivalent and o.status != "stale"]
    killed = [o for o in counted if o.detected]
    survivors = [o for o in counted if not o.detected]
    stale_ones = [o for o in outcomes if o.status == "stale"]
    wrongly_equivalent = [o for o in outcomes if o.mutant.equivalent and o.detected]
    score = 100 * len(killed) / len(counted) if counted else 0.0
    print()
    print(f"mutants: {len(outcomes)} in the catalogue, {len(stale_ones)} stale, "
          f"{len(outcomes) - len(counted) - len(stale_ones)} equivalent")
    print(f"mutation score: {len(killed)}/{len(counted)} killed = {score:.1f}%")
    for title, group in (("SURVIVED (or the run failed without naming a test: error)", survivors),
                         ("STALE (snippet not found exactly once, or the mutant does not compile)",
                          stale_ones),
                         ("marked equivalent but killed (fix the catalogue)", wrongly_equivalent)):
        if group:
            print(f"{title}:")
            for o in group:
                print(f"  {o.mutant.name} ({o.status}): {o.mutant.file}: {o.mutant.reason}")
    return 0 if not survivors and not stale_ones and not wrongly_equivalent else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per mutant (default: 4 x the unmutated run + 30)")
    parser.add_argument("--only", nargs="*", default=None, help="names of mutants to run")
    parser.add_argument("--list", action="store_true", help="print the catalogue and exit")
    parser.add_argument("--tests-from", default=None, help="git revision to take tests/ from")
    args = parser.parse_args(argv)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # started in the background (`&`, nohup): the children would inherit an ignored SIGINT,
        # and the tests that stop a real run with Ctrl+C would fail without any mutant
        signal.signal(signal.SIGINT, signal.default_int_handler)
    chosen = [m for m in CATALOGUE if args.only is None or m.name in args.only]
    if args.list:
        for m in chosen:
            flag = "STALE " if stale(m, ROOT) else ""
            print(f"{flag}{m.name:<36} {m.file:<26} {m.reason}")
        return 1 if any(stale(m, ROOT) for m in chosen) else 0
    outcomes = {m.name: Outcome(m, "stale") for m in chosen if stale(m, ROOT)}
    runnable = [m for m in chosen if m.name not in outcomes]
    with tempfile.TemporaryDirectory(prefix="selfeval-mutation-") as temp:
        copies: queue.Queue[Path] = queue.Queue()
        for index in range(max(1, args.jobs)):
            copy = make_copy(ROOT, Path(temp) / f"worker{index}", args.tests_from)
            check_copy_imports_itself(copy)
            copies.put(copy)
        baseline_copy = copies.get()
        status, test, seconds = baseline(baseline_copy)
        copies.put(baseline_copy)
        if status != "survived":
            print(f"the unmutated copy does not pass: {status} {test}", file=sys.stderr)
            return 2
        timeout = args.timeout or 4 * seconds + 30
        print(f"unmutated fast suite: {seconds:.1f} s; timeout per mutant {timeout:.0f} s; "
              f"{len(runnable)} mutants on {args.jobs} workers", flush=True)
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_mutant, m, copies, timeout) for m in runnable]
            for future in futures:
                outcome = future.result()
                outcomes[outcome.mutant.name] = outcome
                print(f"  {outcome.mutant.name}: {outcome.status} {outcome.test}", flush=True)
    ordered = [outcomes[m.name] for m in chosen]
    print()
    print_table(ordered)
    return summarise(ordered)


if __name__ == "__main__":
    sys.exit(main())
