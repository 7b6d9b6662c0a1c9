#!/usr/bin/env python3
"""CPU time of a Custodian server and its embedded PostgreSQL, per thread, from /proc.

  cpu_ticks.py snapshot JAVA_PID POSTMASTER_PID > FILE   what each thread and process has used so far
  cpu_ticks.py delta FILE JAVA_PID POSTMASTER_PID        ticks (1/100 s) used since FILE: java, postgres

The JVM's JIT compiler threads are left out: compiling is warm-up, not the cost of a request, and
it is what varies most between runs on a busy machine. Garbage collection counts (it is part of what
a request costs). Threads and backends that end between the snapshots are not counted.
"""
import json
import os
import sys


def fields(path):
    with open(path) as f:
        text = f.read()
    name = text[text.index("(") + 1:text.rindex(")")]
    rest = text[text.rindex(")") + 2:].split()
    return name, rest  # rest[0] is field 3 (state); utime is rest[11], stime rest[12]


def snapshot(java, postmaster):
    ticks = {}
    for tid in os.listdir(f"/proc/{java}/task"):
        try:
            name, rest = fields(f"/proc/{java}/task/{tid}/stat")
        except (OSError, ValueError):
            continue
        if "CompilerThre" not in name:
            ticks[f"java/{tid}"] = int(rest[11]) + int(rest[12])
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            name, rest = fields(f"/proc/{pid}/stat")
        except (OSError, ValueError):
            continue
        if pid == str(postmaster) or rest[1] == str(postmaster):
            ticks[f"pg/{pid}"] = int(rest[11]) + int(rest[12])
    return ticks


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        json.dump(snapshot(sys.argv[2], sys.argv[3]), sys.stdout)
    else:
        with open(sys.argv[2]) as f:
            before = json.load(f)
        after = snapshot(sys.argv[3], sys.argv[4])
        java = sum(v - before.get(k, 0) for k, v in after.items() if k.startswith("java/"))
        pg = sum(v - before.get(k, 0) for k, v in after.items() if k.startswith("pg/"))
        print(java, pg)
