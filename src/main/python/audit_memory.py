#!/usr/bin/python3
"""RSS and Java heap of a running `audit` at every 1,000 rows of its predictions.csv (docs/benchmarks.md).

    java [OPTIONS] -jar target/saliency-studio.jar audit --model fashion-mnist --out /tmp/a --explain 0 \
        --overwrite /tmp/fashion-mnist-test & python3 src/main/python/audit_memory.py $! /tmp/a/predictions.csv

Prints: rows, VmRSS MiB, heap committed and used MiB (jcmd GC.heap_info). With --live it also prints the live heap
(jcmd GC.class_histogram, which runs a full collection and so changes the heap's sizing: not for RSS figures).
"""
import re
import subprocess
import sys
import time


def rss_mib(pid):
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith('VmRSS'):
                    return int(line.split()[1]) // 1024
    except FileNotFoundError:
        return None
    return None


def rows(csv):
    try:
        with open(csv, 'rb') as f:
            return sum(1 for _ in f) - 1
    except FileNotFoundError:
        return 0


def jcmd(pid, what):
    return subprocess.run(['jcmd', str(pid), what], capture_output=True, text=True).stdout


def main():
    pid, csv = sys.argv[1], sys.argv[2]
    live = '--live' in sys.argv[3:]
    mark = 1000
    print('rows rssMiB heapCommittedMiB heapUsedMiB' + (' liveMiB' if live else ''), flush=True)
    while True:
        rss = rss_mib(pid)
        if rss is None:
            break
        n = rows(csv)
        if n >= mark:
            m = re.search(r'total (\d+)K, used (\d+)K', jcmd(pid, 'GC.heap_info'))
            line = f'{n} {rss} ' + (f'{int(m.group(1)) // 1024} {int(m.group(2)) // 1024}' if m else '- -')
            if live:
                h = re.search(r'Total\s+\d+\s+(\d+)', jcmd(pid, 'GC.class_histogram'))
                line += f' {int(h.group(1)) / 2**20:.1f}' if h else ' -'
            print(line, flush=True)
            while mark <= n:
                mark += 1000
        time.sleep(0.05)


if __name__ == '__main__':
    main()
