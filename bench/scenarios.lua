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
--   goal         GET /v1/goals/current
--   body_weights GET /v1/body-weights                (the whole list: 122 weights)
--   search_1     GET /v1/products/search?q=          (1 letter: device products + catalog)
--   search_2     GET /v1/products/search?q=          (2 letters)
--   search_4     GET /v1/products/search?q=          (4 letters)
--   search_words GET /v1/products/search?q=          (two words: "chicken breast")
--   search       GET /v1/products/search?q=          (3-7 letters, as typed; replicas.py)
--   sync_200     GET /v1/sync/since?limit=200        (a first sync's first page)
--   sync_1000    GET /v1/sync/since?limit=1000       (the largest page)
--   sync         the same as sync_1000 (replicas.py's name)
--   log_entry    POST /v1/food-entries               (writes: run it last)
--
-- (The cold scenario is not wrk's: bench/run.py restarts workers and times their
-- first request itself.)
--
-- And what a phone sends, as mixes of 4 requests (bench/replicas.py, the capacity
-- model in README, "Scaling"); CURSORS names a file returning each device's sync
-- cursor, taken just before the run:
--   app_open     the app comes to the foreground: an incremental sync, the day's
--                entries, the day's totals, the current goal
--   meal_log     a food logged: two searches while typing, the entry, the day's totals
local data = dofile(os.getenv("DATA"))
local cursors = os.getenv("CURSORS") and dofile(os.getenv("CURSORS")) or {}
local scenario = os.getenv("SCENARIO")
local meals = {"breakfast", "lunch", "dinner", "snacks"}
-- What a search box sends as the user types: each list is one length, rotated.
local terms = {
  search_1 = {"a", "b", "c", "o", "r", "s", "p", "m"},
  search_2 = {"ch", "ri", "ba", "ap", "oa", "yo", "br", "mi"},
  search_4 = {"chic", "rice", "bana", "appl", "oats", "yogh", "brea", "chee"},
  search_words = {"chicken%20breast", "brown%20rice", "olive%20oil", "greek%20yogurt",
    "whole%20milk", "peanut%20butter", "white%20bread", "cheddar%20cheese"},
  search = {"ban", "chicken", "rice", "apple", "oat", "yog", "cheese", "bread"},
}
local counter = 0
local y0, m0, d0 = data.start:match("(%d+)-(%d+)-(%d+)")
local t0 = os.time({year = tonumber(y0), month = tonumber(m0), day = tonumber(d0), hour = 12})

local function day(offset)
  return os.date("!%Y-%m-%d", t0 + offset * 86400)
end

local known = {health = true, day_entries = true, day_stats = true, month_stats = true,
  year_stats = true, products = true, goal = true, body_weights = true, search_1 = true,
  search_2 = true, search_4 = true, search_words = true, search = true, sync_200 = true,
  sync_1000 = true, sync = true, log_entry = true, app_open = true, meal_log = true}
if not known[scenario] then
  io.stderr:write("unknown SCENARIO " .. tostring(scenario) .. "\n")
  os.exit(2)
end

local function log_entry(dev, headers, d)
  local food = dev.foods[(counter % #dev.foods) + 1]
  headers["Content-Type"] = "application/json"
  local body = string.format(
    '{"product_id":"%s","portion_id":"%s","day":"%s","meal_type":"%s","amount":"%d","unit":"g"}',
    food[1], food[2], day(d), meals[(counter % 4) + 1], 50 + counter % 200)
  return wrk.format("POST", "/v1/food-entries", headers, body)
end

local function search(headers, words)
  return wrk.format("GET", "/v1/products/search?q=" .. words[(counter % #words) + 1], headers)
end

request = function()
  counter = counter + 1
  local index = (counter % #data.devices) + 1
  local dev = data.devices[index]
  local headers = {["Authorization"] = "Bearer " .. dev.token, ["Accept"] = "application/json"}
  local d = (counter * 7919) % data.days
  if scenario == "app_open" or scenario == "meal_log" then
    -- The last week (what an app shows); each request of a cycle for another device.
    d = data.days - 1 - (counter % 7)
    local step = counter % 4
    if scenario == "app_open" then
      if step == 0 then
        return wrk.format("GET", "/v1/sync/since?cursor=" .. (cursors[index] or ""), headers)
      elseif step == 1 then
        return wrk.format("GET", "/v1/food-entries?day=" .. day(d), headers)
      elseif step == 2 then
        return wrk.format("GET", "/v1/stats/day/" .. day(d), headers)
      end
      return wrk.format("GET", "/v1/goals/current", headers)
    end
    if step <= 1 then
      return search(headers, terms.search)
    elseif step == 2 then
      return log_entry(dev, headers, d)
    end
    return wrk.format("GET", "/v1/stats/day/" .. day(d), headers)
  elseif scenario == "health" then
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
  elseif scenario == "goal" then
    return wrk.format("GET", "/v1/goals/current", headers)
  elseif scenario == "body_weights" then
    return wrk.format("GET", "/v1/body-weights", headers)
  elseif terms[scenario] then
    return search(headers, terms[scenario])
  elseif scenario == "sync_200" then
    return wrk.format("GET", "/v1/sync/since?limit=200", headers)
  elseif scenario == "sync_1000" or scenario == "sync" then
    return wrk.format("GET", "/v1/sync/since?limit=1000", headers)
  else -- log_entry
    return log_entry(dev, headers, d)
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
