#!/usr/bin/env python3
# Writes the crafted result files of tests/data/compare (README.md says what
# each holds and the outcome test_compare expects). Run it from anywhere:
# python3 tests/data/compare/make_files.py
import json, copy, os
OUT = os.path.dirname(os.path.abspath(__file__))
B = 268435456  # 256 MiB per run

def params(size=B, chunk=32768, alloc=None, pipe=None, dest=None, drain=None):
    return {"size_bytes": size, "chunk_bytes": chunk, "transfers": 1, "alloc": alloc,
            "pipe_size_bytes": pipe, "dest": dest, "drain": drain}

def run(i, warm, gbps, user_ms, sys_ms, sysc=None, vol=None, invol=None, to_user=None, from_user=None,
        in_kernel=None, instr=None, counters=True):
    r = {"index": i, "warmup": warm, "verified": i == 0, "bytes": B,
         "elapsed_ns": int(round(B / gbps)) if gbps else 0,
         "user_ns": int(user_ms * 1e6), "sys_ns": int(sys_ms * 1e6),
         "voluntary_ctxt_switches": 1, "involuntary_ctxt_switches": 0,
         "minor_faults": 0, "major_faults": 0, "outlier": None if warm else False,
         "peer_user_ns": None, "peer_sys_ns": None}
    if counters:
        r["counters"] = {
            "syscalls": {"read": sysc // 2 if sysc else 0, "write": sysc - sysc // 2 if sysc else 0},
            "syscalls_total": sysc, "context_switches": {"voluntary": vol, "involuntary": invol},
            "off_cpu_ns": 1000, "bytes": {"to_user": to_user, "from_user": from_user, "in_kernel": in_kernel},
            "perf": {"instructions": {"value": instr, "enabled_ns": 1, "running_ns": 1,
                                      "status": "ok" if instr is not None else "not_supported",
                                      "reason": None if instr is not None else "no PMU"}}}
    return r

def cell(strategy, workload, p, runs, status="ok", reason=None, sees=True, path="x"):
    return {"strategy": strategy, "workload": workload, "sees_data": sees, "params": p,
            "status": status, "reason": reason, "path": path, "runs": runs, "summary": None}

def series(gbps, user, sys, sysc, vol, invol, tu, fu, ik, instr=None, counters=True, warm=True):
    """One warm-up (wild figures, must be ignored) then the measured runs."""
    rs = []
    if warm:
        rs.append(run(0, True, 0.1, 999, 999, 1, 999, 999, 1, 1, 1, 1, counters))
    for k in range(len(gbps)):
        rs.append(run(len(rs), False, gbps[k], user[k], sys[k], sysc[k], vol[k], invol[k], tu[k], fu[k], ik[k],
                      instr[k] if instr else None, counters))
    return rs

def rep(x, n=5):
    return [x] * n

def doc(kernel, cells, schema="zcbench/1", emulated=None, ebpf_ok=True):
    host = {"kernel_release": kernel, "kernel_version": "#1 SMP test", "machine": "x86_64",
            "cpu_model": "Test CPU", "cpus": 2, "mem_bytes": 25000000000}
    if emulated is not None:
        host["emulated"] = emulated
    probes = {"ebpf": {"status": "ok", "reason": None} if ebpf_ok else
              {"status": "unavailable", "reason": "not root: CAP_BPF and CAP_PERFMON needed"}}
    return {"schema": schema, "tool": {"name": "zcbench", "version": "0.1.0"}, "host": host,
            "started_at": "2025-01-01T00:00:00Z", "command": ["zcbench", "all"], "interrupted": False,
            "probes": probes, "results": cells}

P_A = params(chunk=32768, alloc="malloc", drain="trunc")
P_B = params(chunk=1048576, drain="trunc")
P_C = params(chunk=1048576, pipe=1048576, dest="overwrite")
P_D = params(chunk=32768, dest="overwrite")
P_E = params(chunk=32768, alloc="malloc", dest="overwrite")
P_F = params(chunk=131072, alloc="malloc", dest="overwrite")
P_G = params(chunk=1048576, pipe=1048576, drain="trunc")
P_A_read = params(chunk=32768, alloc="malloc", drain="read")

def base_cells(counters=True, null_counters=False):
    A = series([4.00, 4.05, 3.95, 4.10, 3.90], rep(20), rep(40), rep(16387), rep(10), [3, 5, 4, 6, 2],
               rep(B), rep(B), rep(0), [1e9, 1.01e9, 0.99e9, 1e9, 1e9], counters)
    Bc = series([4.20, 4.30, 4.10, 4.25, 4.15], rep(0), [50, 52, 48, 55, 45], rep(258), rep(2), rep(0),
                rep(0), rep(0), rep(B), None, counters)
    C = series([9.9, 9.8, 10.0, 9.7, 10.1], rep(0), rep(30), rep(512), rep(4), rep(1), rep(0), rep(0),
               rep(2 * B), None, counters)
    D = series([8.0, 8.1, 7.9, 8.2, 7.8], rep(10), rep(30), rep(16386), rep(0), rep(1), rep(B), rep(B),
               rep(0), None, counters)
    E = series([10.0, 10.2, 9.8, 10.1, 9.9], rep(15), rep(25), rep(16388), rep(0), rep(1), rep(B), rep(B),
               rep(0), None, counters)
    F = series([11.0, 11.2, 10.8, 11.1, 10.9], rep(12), rep(20), rep(4100), rep(0), rep(1), rep(B), rep(B),
               rep(0), None, counters)
    if null_counters:
        # A file whose eBPF figures are null (measured as unavailable), not absent.
        for rs in (A,):
            for r in rs:
                for k in ("syscalls", "syscalls_total", "context_switches", "off_cpu_ns", "bytes"):
                    r["counters"][k] = None
    return [cell("readwrite", "file-tcp", P_A, A), cell("sendfile", "file-tcp", P_B, Bc, sees=False),
            cell("splice", "file-file", P_C, C, sees=False), cell("pooled", "file-file", P_D, D),
            cell("readwrite", "file-file", P_E, E), cell("readwrite", "file-file", P_F, F)]

def write(name, d, indent=1):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(d, f, indent=indent)
        f.write("\n")

base = doc("6.1.0-base", base_cells())
write("base.json", base)

# new.json: A regresses (throughput -20%, CPU +25%), B is noise (throughput) and
# beyond the threshold but not significant (CPU), C improves (throughput +30%,
# syscalls -50% deterministic), E unchanged, F failed, D missing, G and A-with-
# drain=read only here.
new_cells = []
A = series([3.20, 3.24, 3.16, 3.28, 3.12], rep(25), rep(50), rep(16387), rep(10), [4, 3, 5, 2, 6],
           rep(B), rep(B), rep(0), [1e9, 1e9, 1.02e9, 0.98e9, 1e9])
Bc = series([4.22, 4.28, 4.12, 4.26, 4.18], rep(0), [60, 47, 58, 49, 56], rep(258), rep(2), rep(0),
            rep(0), rep(0), rep(B))
C = series([12.9, 12.7, 13.0, 12.6, 13.1], rep(0), rep(30), rep(256), rep(4), rep(1), rep(0), rep(0),
           rep(2 * B))
E = series([10.1, 10.0, 9.9, 10.2, 9.8], rep(15), rep(25), rep(16388), rep(0), rep(1), rep(B), rep(B), rep(0))
F = series([11.0], rep(12, 1), rep(20, 1), rep(4100, 1), rep(0, 1), rep(1, 1), rep(B, 1), rep(B, 1), rep(0, 1))
G = series([3.0, 3.1, 2.9, 3.05, 2.95], rep(0), rep(60), rep(520), rep(4), rep(1), rep(0), rep(0), rep(2 * B))
A2 = series([3.9, 3.95, 3.85, 4.0, 3.8], rep(20), rep(40), rep(16387), rep(10), rep(4), rep(B), rep(B), rep(0))
new_cells = [cell("readwrite", "file-tcp", P_A, A), cell("sendfile", "file-tcp", P_B, Bc, sees=False),
             cell("splice", "file-file", P_C, C, sees=False), cell("readwrite", "file-file", P_E, E),
             cell("readwrite", "file-file", P_F, F, status="failed",
                  reason="verification failed: first wrong byte at offset 777777"),
             cell("splice", "file-tcp", P_G, G, sees=False), cell("readwrite", "file-tcp", P_A_read, A2)]
write("new.json", doc("6.12.0-new", new_cells))

# A third kernel for the matrix: like base, with A's syscalls +10% (deterministic).
k3 = copy.deepcopy(base)
k3["host"]["kernel_release"] = "6.18.0-third"
for r in k3["results"][0]["runs"]:
    if not r["warmup"]:
        r["counters"]["syscalls_total"] = 18026
write("third.json", k3)

# Same figures as base, no probe counters at all (probes off), except cell A
# whose eBPF figures are null.
nc = doc("6.1.0-nocounters", base_cells(counters=False), ebpf_ok=False)
nc["results"][0] = base_cells(null_counters=True)[0]
write("nocounters.json", nc)

# A later schema version with a key this one does not know.
s2 = copy.deepcopy(base)
s2["schema"] = "zcbench/2"
s2["host"]["kernel_release"] = "6.1.0-schema2"
for c in s2["results"]:
    c["new_key"] = {"x": 1}
write("schema2.json", s2)

# Under emulation: timings 50x off, counts as in base.
em = copy.deepcopy(base)
em["host"]["kernel_release"] = "6.12.0-tcg"
em["host"]["emulated"] = True
for c in em["results"]:
    for r in c["runs"]:
        r["elapsed_ns"] *= 50
        r["user_ns"] *= 50
        r["sys_ns"] *= 50
write("emulated.json", em)

# Two runs a side: a deterministic syscall change (+50%) and a timing change
# that no test can call significant (the smallest p with 2 and 2 runs is 1/3);
# one cell with a single measured run.
def tiny(kernel, sysc, gbps):
    a = series(gbps, rep(20, 2), rep(40, 2), rep(sysc, 2), rep(10, 2), rep(0, 2), rep(B, 2), rep(B, 2), rep(0, 2))
    one = series([5.0], [10], [10], [100], [1], [0], [0], [0], [B])
    return doc(kernel, [cell("readwrite", "file-tcp", P_A, a), cell("sendfile", "file-tcp", P_B, one, sees=False)])
write("tiny_base.json", tiny("6.1.0-tiny", 16387, [4.0, 4.1]))
write("tiny_new.json", tiny("6.12.0-tiny", 24579, [3.2, 3.3]))

# Malformed: cut in the middle.
txt = json.dumps(base, indent=1)
with open(os.path.join(OUT, "malformed.json"), "w") as f:
    f.write(txt[:200])
write("not_zcbench.json", {"schema": "other/1", "results": []})
write("no_results.json", {"schema": "zcbench/1", "host": {"kernel_release": "x"}})
write("bad_cell.json", {"schema": "zcbench/1", "results": [{"strategy": "readwrite", "params": {}}]})

# ---- the gate (issue 11): drift, a slow machine, counts that depend on timing, hostile strings ----

def calibrated(d, bps):
    d = copy.deepcopy(d)
    d["host"]["calibration"] = {"measured_at": "2025-01-01T00:00:00Z",
                                "memcpy": {"buffer_bytes": 67108864, "trials": 7, "median_ns": 3355443,
                                           "bps": bps, "best_bps": bps * 1.1}}
    return d

def slower(d, factor, only=None, metrics=("elapsed_ns", "user_ns", "sys_ns")):
    """Every measured run (of cell index `only`, or all) takes `factor` times as long."""
    d = copy.deepcopy(d)
    for i, c in enumerate(d["results"]):
        if only is not None and i != only:
            continue
        for r in c["runs"]:
            if r["warmup"]:
                continue
            for k in metrics:
                r[k] = int(round(r[k] * factor))
    return d

# base_cal.json: base with a memcpy calibration of 20 GB/s, as `zcbench all` writes.
base_cal = calibrated(base, 20e9)
write("base_cal.json", base_cal)

# drift.json: the same code on a machine 25% slower (memcpy and every timing):
# nothing regresses once the drift is removed; raw (--drift none), every
# timing does.
drift = calibrated(slower(base, 1.25), 16e9)
drift["host"]["kernel_release"] = "6.1.0-drift"
write("drift.json", drift)

# slow30.json: sendfile/file-tcp's runs take 30% longer, nothing else moved.
s30 = slower(base_cal, 1.3, only=1, metrics=("elapsed_ns",))
s30["host"]["kernel_release"] = "6.1.0-slow30"
write("slow30.json", s30)

# hog.json: a CPU hog on the subject's CPU: memcpy at half speed and every
# run twice as long: "machine slower: timing not comparable".
hog = calibrated(slower(base, 2.0), 10e9)
hog["host"]["kernel_release"] = "6.1.0-hog"
hog["warnings"] = [{"code": "busy-machine", "message": "load average 2.0 on 2 CPUs at the start"}]
write("hog.json", hog)
# hog_nocal.json: the same without a calibration: the baseline's own slowdown tells.
hog_nc = slower(base, 2.0)
hog_nc["host"]["kernel_release"] = "6.1.0-hog-nocal"
write("hog_nocal.json", hog_nc)

# Counts that depend on timing: io_uring_enter 11 against 13 per run (no
# regression: below --min-count-diff and timing-dependent), 2048 against 4096
# (a regression under the Poisson floor); context switches 10 against 14.
P_U = params(chunk=131072, drain="trunc")
def uring(kernel, enter_small, enter_big, csw):
    def s(enter):
        rs = series(rep(4.0), rep(10), rep(40), rep(enter + 1), rep(csw), rep(0), rep(0), rep(0), rep(B))
        for r in rs:
            if not r["warmup"]:
                r["counters"]["syscalls"] = {"io_uring_enter": enter, "lseek": 1}
        return rs
    return doc(kernel, [cell("io_uring", "file-tcp", P_U, s(enter_small), sees=False),
                        cell("io_uring", "file-file", params(chunk=131072, dest="overwrite"), s(enter_big),
                             sees=False)])
write("uring_base.json", uring("6.1.0-uring", 11, 2048, 10))
write("uring_new.json", uring("6.12.0-uring", 13, 4096, 14))

# ansi.json: strings with an ANSI escape, a newline and a C1 control (CSI).
an = copy.deepcopy(base)
an["host"]["kernel_release"] = "6.1.0-\u001b[2J\u001b[31mred"
an["results"][4]["status"] = "failed"
an["results"][4]["reason"] = "bad\nforged row\u009b31m"
an["results"].append(cell("evil\u001b]0;title\u0007", "file-tcp", P_A, base["results"][0]["runs"]))
write("ansi.json", an)

# multi_base.json / multi_new.json: three cells of three runs, 1 GiB each (so
# per GiB is per run), `read` calls that vary from run to run (so a t-test,
# not the exact rule), chosen so that Welch's p has a closed form:
#   cell 1: 1000,1000,1000 against 1100,1200,1300: t^2 = 12, df = 2, p = 1 - sqrt(6/7)
#   cell 2: 1000,1100,1200 against 1300,1400,1500: t^2 = 13.5, df = 4 (closed form in test_compare.c)
#   cell 3: 1000,1100,1200 against the same: t = 0, p = 1
GIB = 1073741824
def multi(kernel, calls):
    cells = []
    for i, cs in enumerate(calls):
        runs = []
        for k, n in enumerate(cs):
            r = run(k, False, 4.0, 10, 10, n, 1, 0, 0, 0, GIB)
            r["bytes"] = GIB
            r["elapsed_ns"] = GIB // 4
            r["counters"]["syscalls"] = {"read": n}
            runs.append(r)
        cells.append(cell("sendfile", "file-file", params(size=GIB, chunk=1048576 * (i + 1), dest="overwrite"),
                          runs, sees=False))
    return doc(kernel, cells)
write("multi_base.json", multi("6.1.0-multi", [[1000, 1000, 1000], [1000, 1100, 1200], [1000, 1100, 1200]]))
write("multi_new.json", multi("6.12.0-multi", [[1100, 1200, 1300], [1300, 1400, 1500], [1000, 1100, 1200]]))
