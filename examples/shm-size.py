#!/usr/bin/env python3
"""Size of the Aeron directory (/dev/shm or the aeron tmpfs) from a streams.toml: docs/deploy.md, "Sizing /dev/shm".

Each publication has a log of 3 terms + 4 KiB metadata; PUBLISHERS says how many exclusive publications each stream
has in the single-host pipeline (edit it for your layout); the CnC file adds about 8 MiB. Needs Python 3.11+ (tomllib).
Usage: python3 examples/shm-size.py config/streams.toml
"""
import re, sys, tomllib
# Publishers per stream id: every service publishes 11 and 12; simulator and engine both publish 16 and 17.
PUBLISHERS = {10: 1, 11: 7, 12: 7, 13: 1, 14: 1, 15: 1, 16: 2, 17: 2, 18: 1, 19: 1, 20: 1}
UNITS = {'': 1, 'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30}
def term_bytes(channel):
    m = re.search(r'term-length=(\d+)([kmg]?)', channel, re.I)
    return int(m.group(1)) * UNITS[m.group(2).lower()] if m else 1 << 20  # product driver default: 1 MiB IPC terms
total = 8 << 20  # CnC file at the driver defaults
for name, s in tomllib.load(open(sys.argv[1], 'rb')).items():
    log = 3 * term_bytes(s['channel']) + 4096
    total += PUBLISHERS.get(s['stream-id'], 1) * log
    print(f"{s['stream-id']:>3} {name:<13} {PUBLISHERS.get(s['stream-id'], 1)} x {log / 2**20:7.3f} MiB")
print(f"steady state {total / 2**20:.1f} MiB; with one lingering set of every publication {(2 * total - (8 << 20)) / 2**20:.1f} MiB")
