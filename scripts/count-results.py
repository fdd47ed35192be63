#!/usr/bin/env python3
"""Counts for run-tests.sh, read from result files (never from console lines).

  count-results.py trx FILE          a test project's TRX: "passed failed skipped", then failed tests
  count-results.py report FILE CODE  a kit run's report.json and the kit's exit code: "passed failed skipped"

trx: failed = failed + error + timeout + aborted, skipped = notExecuted; each failed test follows on its
own line with the first lines of its message, indented four spaces.
report: the same sums as the kit's summaryLine (failed = failed + errors, skipped = expected failures).
The kit's exit code is honoured: 0 (conformant) and 1 (non-conformant) are results; 2 (usage or
environment), 3 (server under test failed) and 130 (interrupted) add one failure, and so does a
report that is missing, unreadable or marked interrupted.
"""
import json
import sys
import xml.etree.ElementTree as ET

MESSAGE_LINES = 12
TRX = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
KIT_RESULT_CODES = (0, 1)


def trx(path):
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", TRX)
    get = lambda k: int(counters.get(k, 0)) if counters is not None else 0
    failed = get("failed") + get("error") + get("timeout") + get("aborted")
    print(get("passed"), failed, get("notExecuted"))
    for result in root.iterfind("t:Results/t:UnitTestResult", TRX):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            print(result.get("testName"))
            # The first lines of the assertion message, so that a CI log alone says why a test failed.
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=TRX)
            for line in [l.rstrip() for l in message.splitlines() if l.strip()][:MESSAGE_LINES]:
                print("    " + line[:200])


def report(path, code):
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        counts = document["counts"]
        passed = counts["passed"]
        failed = counts["failed"] + counts["errors"]
        skipped = counts["expectedFailures"]
        interrupted = bool(document.get("interrupted"))
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(0, 1, 0)
        print(f"no usable report ({path}: {e}); kit exit code {code}")
        return
    extra = []
    if code not in KIT_RESULT_CODES:
        extra.append(f"the kit exited with {code} (2: usage or environment, 3: server under test failed, 130: interrupted)")
    if interrupted:
        extra.append("the report says the run was interrupted")
    print(passed, failed + (1 if extra else 0), skipped)
    for line in extra:
        print(line)


def main(argv):
    if len(argv) == 3 and argv[1] == "trx":
        trx(argv[2])
    elif len(argv) == 4 and argv[1] == "report":
        report(argv[2], int(argv[3]))
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
