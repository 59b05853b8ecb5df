-- wrk script of bench/run: POSTs a small body (and the function digest header, for calls straight
-- to a node agent), then writes the run's summary and its latency distribution to files:
--   $BENCH_OUT.sum  requests, seconds, calls/s, errors, mean/p50/p99/max in ms
--   $BENCH_OUT.cdf  "percentile latency_ms" lines, 0..100, for the CDF plot
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "bench"
wrk.headers["Content-Type"] = "text/plain"
local digest = os.getenv("BENCH_DIGEST")
if digest and digest ~= "" then
  wrk.headers["X-Skiff-Function-Digest"] = digest
  -- a command to a node agent: it takes commands only with the platform's internal token
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end

function done(summary, latency, requests)
  local out = os.getenv("BENCH_OUT")
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  local sum = io.open(out .. ".sum", "w")
  sum:write(string.format("requests %d\nseconds %.3f\nrate %.1f\nerrors %d\nnon2xx %d\n",
    summary.requests, seconds, summary.requests / seconds, errors, e.status))
  sum:write(string.format("mean %.3f\np50 %.3f\np99 %.3f\nmax %.3f\n", latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  sum:close()
  local cdf = io.open(out .. ".cdf", "w")
  cdf:write(string.format("0 %.3f\n", latency.min / 1000))
  for _, p in ipairs({1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
                      92, 94, 95, 96, 97, 98, 99, 99.5, 99.9}) do
    cdf:write(string.format("%s %.3f\n", p, latency:percentile(p) / 1000))
  end
  cdf:write(string.format("100 %.3f\n", latency.max / 1000))
  cdf:close()
end
