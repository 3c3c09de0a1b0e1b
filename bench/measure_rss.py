"""Fallback memory probe for bench/measure.ts where GNU /usr/bin/time is missing.

Usage: python3 measure_rss.py REPORT_FILE COMMAND [ARGS...]
Runs COMMAND, then writes {"exit", "cpu_s", "maxrss_kb"} for it to REPORT_FILE (RUSAGE_CHILDREN: the largest
single process among the waited-for descendants, as GNU time reports it) and exits with the command's status.
"""

import json
import resource
import subprocess
import sys


def main():
    report, command = sys.argv[1], sys.argv[2:]
    code = subprocess.call(command)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Linux reports ru_maxrss in KB, macOS in bytes.
    maxrss_kb = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    with open(report, "w") as f:
        json.dump({"exit": code, "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kb": maxrss_kb}, f)
    return code


if __name__ == "__main__":
    sys.exit(main())
