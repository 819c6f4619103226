-- wrk scenarios of bench/run.py. SCENARIO and DATA (the data file written by
-- `manage.py seed_bench`, or by the floor's populate_floor.py: same shape) come
-- from the environment. Requests rotate over the devices and the seeded days, so
-- every connection reads other rows on every request, as many phones would.
--
--   health       GET /health
--   day_entries  GET /v1/food-entries?day=          (a day's entries: the app's start)
--   day_stats    GET /v1/stats/day/{day}
--   month_stats  GET /v1/stats/daily?from=&to=       (30 days)
--   year_stats   GET /v1/stats/daily?from=&to=       (366 days)
--   products     GET /v1/products
--   search       GET /v1/products/search?q=          (device products + catalog)
--   sync         GET /v1/sync/since?limit=1000       (a first, full sync: one page)
--   log_entry    POST /v1/food-entries               (writes: run it last)
local data = dofile(os.getenv("DATA"))
local scenario = os.getenv("SCENARIO")
local meals = {"breakfast", "lunch", "dinner", "snacks"}
local terms = {"ban", "chicken", "rice", "apple", "oat", "yog", "cheese", "bread"}
local counter = 0
local y0, m0, d0 = data.start:match("(%d+)-(%d+)-(%d+)")
local t0 = os.time({year = tonumber(y0), month = tonumber(m0), day = tonumber(d0), hour = 12})

local function day(offset)
  return os.date("!%Y-%m-%d", t0 + offset * 86400)
end

local known = {health = true, day_entries = true, day_stats = true, month_stats = true,
  year_stats = true, products = true, search = true, sync = true, log_entry = true}
if not known[scenario] then
  io.stderr:write("unknown SCENARIO " .. tostring(scenario) .. "\n")
  os.exit(2)
end

request = function()
  counter = counter + 1
  local dev = data.devices[(counter % #data.devices) + 1]
  local headers = {["Authorization"] = "Bearer " .. dev.token, ["Accept"] = "application/json"}
  local d = (counter * 7919) % data.days
  if scenario == "health" then
    return wrk.format("GET", "/health", {["Accept"] = "application/json"})
  elseif scenario == "day_entries" then
    return wrk.format("GET", "/v1/food-entries?day=" .. day(d), headers)
  elseif scenario == "day_stats" then
    return wrk.format("GET", "/v1/stats/day/" .. day(d), headers)
  elseif scenario == "month_stats" then
    local from = d % math.max(data.days - 30, 1)
    return wrk.format("GET", "/v1/stats/daily?from=" .. day(from) .. "&to=" .. day(from + 29), headers)
  elseif scenario == "year_stats" then
    local from = d % 30
    return wrk.format("GET", "/v1/stats/daily?from=" .. day(from) .. "&to=" .. day(from + 365), headers)
  elseif scenario == "products" then
    return wrk.format("GET", "/v1/products", headers)
  elseif scenario == "search" then
    return wrk.format("GET", "/v1/products/search?q=" .. terms[(counter % #terms) + 1], headers)
  elseif scenario == "sync" then
    return wrk.format("GET", "/v1/sync/since?limit=1000", headers)
  else -- log_entry
    local food = dev.foods[(counter % #dev.foods) + 1]
    headers["Content-Type"] = "application/json"
    local body = string.format(
      '{"product_id":"%s","portion_id":"%s","day":"%s","meal_type":"%s","amount":"%d","unit":"g"}',
      food[1], food[2], day(d), meals[(counter % 4) + 1], 50 + counter % 200)
    return wrk.format("POST", "/v1/food-entries", headers, body)
  end
end

-- One machine-readable line; status errors are answers >= 400 (wrk counts those).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT scenario=%s requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "bytes=%d errors=%d non2xx=%d\n",
    scenario, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status))
end
