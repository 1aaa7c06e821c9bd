#!/usr/bin/env python3
# Two result files of N cells each (3 measured runs, no counters) for timing
# compare's matching by hand: a.json, and b.json with the cells in reverse
# order and cell 12345 (when there is one) twice as slow.
# Usage: python3 tests/data/compare/make_many.py N DIR
import json, os, sys
n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
def doc(kernel, slow):
    cells = []
    for i in range(n):
        ns = 200000 if slow and i == 12345 else 100000
        runs = [{"index": k, "bytes": 1048576, "elapsed_ns": ns + 100 * k, "user_ns": 0, "sys_ns": 1000}
                for k in range(3)]
        cells.append({"strategy": ["readwrite", "sendfile", "splice"][i % 3], "workload": "file-file",
                      "params": {"size_bytes": 1048576, "chunk_bytes": 4096 * (1 + i // 3)}, "runs": runs})
    return {"schema": "zcbench/1", "host": {"kernel_release": kernel}, "results": cells}
with open(os.path.join(out, "a.json"), "w") as f:
    json.dump(doc("a", False), f)
d = doc("b", True)
d["results"].reverse()
with open(os.path.join(out, "b.json"), "w") as f:
    json.dump(d, f)
