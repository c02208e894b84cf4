"""Drive a server with wrk (a local load generator), rotating over prepared requests, and read its figures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA = r"""
local requests = %(requests)s
counter = 0
local threads = %(threads)d
local created = 0
local all_threads = {}
setup = function(thread)
  thread:set("tid", created)
  created = created + 1
  table.insert(all_threads, thread)
end
request = function()
  -- each thread takes its own share, so no two threads send the same request in a lap
  local r = requests[((counter * threads + (tid or 0)) %% #requests) + 1]
  counter = counter + 1
  return wrk.format(r.method, r.path, r.headers, r.body)
end
local pace = %(pace)s  -- milliseconds between two sends of this thread (0: as fast as answers come)
local next_at = nil
if pace > 0 then
  local ffi = require("ffi")  -- wrk runs LuaJIT: the wall clock, in milliseconds, through gettimeofday
  ffi.cdef[[ typedef struct { long tv_sec; long tv_usec; } bench_timeval; int gettimeofday(bench_timeval *, void *); ]]
  local tv = ffi.new("bench_timeval")
  local function now_ms()
    ffi.C.gettimeofday(tv, nil)
    return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
  end
  -- each request leaves at its own time on the thread's schedule, however long the ones before take to answer
  delay = function()
    local now = now_ms()
    next_at = (next_at or now) + pace
    return math.max(0, next_at - pace - now)
  end
end
local shown = false
answered = 0
local record = %(record)s
response = function(status, headers, body)
  answered = answered + 1
  if record then
    -- which request this answers, by where it redirects (one line per write: whole in the shared stdout)
    io.write(string.format("ANSWER %%d %%s\n", status, headers["Location"] or "-"))
  end
  if status >= 400 and not shown then
    shown = true
    io.write(string.format("FIRST_ERROR %%d %%s\n", status, string.sub(body or "", 1, 400):gsub("%%s+", " ")))
  end
end
done = function(summary, latency, requests)
  for _, t in ipairs(all_threads) do
    io.write(string.format("THREAD %%d %%d %%d\n", t:get("tid"), t:get("counter"), t:get("answered")))
  end
  io.write(string.format("LATENCY_US %%d %%d %%d %%d\n", latency:percentile(50), latency:percentile(99), latency.max,
                         latency:percentile(95)))
  io.write(string.format("ERRORS %%d %%d %%d %%d %%d\n", summary.errors.connect, summary.errors.read,
                         summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors and HTTP statuses >= 400
    p95_ms: float = 0.0
    sent: tuple[int, ...] = ()  # indices of the requests sent, in the rotation's order
    in_flight: int = 0  # sent, and not answered when the measure ended
    answers: tuple[tuple[int, str], ...] = ()  # with record=True: (status, Location or "-") of each response

    def row(self) -> str:
        return f"{self.requests_per_second:8.1f} req/s   p50 {self.p50_ms:6.1f} ms   p99 {self.p99_ms:6.1f} ms   " \
               f"{self.requests} requêtes, {self.errors} erreurs"


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua_table(requests: list[dict]) -> str:
    """Encode the requests as a Lua table literal (JSON strings are valid Lua strings once escaped)."""
    def lua_string(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # raw UTF-8; \n, \" and \\ read the same in Lua

    parts = []
    for r in requests:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in r.get("headers", {}).items())
        body = lua_string(r["body"]) if r.get("body") else "nil"
        parts.append(f"{{method = {lua_string(r['method'])}, path = {lua_string(r['path'])}, "
                     f"headers = {{{headers}}}, body = {body}}}")
    return "{" + ",\n".join(parts) + "}"


def run_wrk(base_url: str, requests: list[dict], seconds: int, connections: int, threads: int = 2,
            record: bool = False, rate: float = 0) -> LoadResult:
    """Run wrk for `seconds` with `connections` open connections; requests are sent in turn.

    With `rate` (requests/s), requests leave on a fixed schedule, as people arriving at that pace would send
    them, rather than each as soon as an answer frees its connection (then the load is as heavy as the server
    allows, and each answer waits for all the connections' requests ahead: latency ≈ connections ÷ throughput).
    The latency is timed from the sending: when no connection is free at a request's time, it leaves late.
    With `record`, each response's status and Location are kept: a redirect tells which dossier it answers.
    """
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "requests.lua"
        script.write_text(LUA % {"requests": _lua_table(requests), "threads": threads,
                                 "record": "true" if record else "false",
                                 "pace": f"{threads * 1000 / rate:.3f}" if rate else "0"}, encoding="utf-8")
        run = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                              "--timeout", "10s", "-s", str(script), base_url],
                             capture_output=True, text=True, timeout=seconds + 60)
    output = run.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    p50, p99, _, p95 = (int(v) / 1000 for v in re.search(r"LATENCY_US (\d+) (\d+) (\d+) (\d+)", output).groups())
    errors = sum(int(v) for v in re.search(r"ERRORS (\d+) (\d+) (\d+) (\d+) (\d+)", output).groups())
    sent: list[int] = []
    in_flight = 0
    for tid, counter, answered in re.findall(r"THREAD (\d+) (\d+) (\d+)", output):
        sent += [(c * threads + int(tid)) % len(requests) for c in range(int(counter))]
        in_flight += int(counter) - int(answered)
    answers = tuple((int(status), location) for status, location in re.findall(r"^ANSWER (\d+) (\S+)$", output, re.M))
    return LoadResult(rate, p50, p99, total, errors, p95, tuple(sent), in_flight, answers)
