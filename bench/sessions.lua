-- What a phone sends, as wrk scenarios of bench/replicas.py (the capacity model in
-- README, "Scaling"). DATA is the seed_bench data file; CURSORS a file returning
-- each device's sync cursor (taken just before the run), in the same order.
--
--   app_open  the app comes to the foreground: an incremental sync, the day's
--             entries, the day's totals, the current goal (4 requests)
--   meal_log  a food logged: two searches while typing, the entry, the day's
--             totals again (4 requests)
--
-- Each request of a cycle goes to another device, as many phones would.
local data = dofile(os.getenv("DATA"))
local cursors = dofile(os.getenv("CURSORS"))
local scenario = os.getenv("SCENARIO")
local meals = {"breakfast", "lunch", "dinner", "snacks"}
local terms = {"ban", "chicken", "rice", "apple", "oat", "yog", "cheese", "bread"}
local counter = 0
local y0, m0, d0 = data.start:match("(%d+)-(%d+)-(%d+)")
local t0 = os.time({year = tonumber(y0), month = tonumber(m0), day = tonumber(d0), hour = 12})

local function day(offset)
  return os.date("!%Y-%m-%d", t0 + offset * 86400)
end

if scenario ~= "app_open" and scenario ~= "meal_log" then
  io.stderr:write("unknown SCENARIO " .. tostring(scenario) .. "\n")
  os.exit(2)
end

request = function()
  counter = counter + 1
  local index = (counter % #data.devices) + 1
  local dev = data.devices[index]
  local headers = {["Authorization"] = "Bearer " .. dev.token, ["Accept"] = "application/json"}
  local d = data.days - 1 - (counter % 7)  -- the last week: what an app shows
  local step = counter % 4
  if scenario == "app_open" then
    if step == 0 then
      return wrk.format("GET", "/v1/sync/since?cursor=" .. cursors[index], headers)
    elseif step == 1 then
      return wrk.format("GET", "/v1/food-entries?day=" .. day(d), headers)
    elseif step == 2 then
      return wrk.format("GET", "/v1/stats/day/" .. day(d), headers)
    end
    return wrk.format("GET", "/v1/goals/current", headers)
  end
  if step <= 1 then
    return wrk.format("GET", "/v1/products/search?q=" .. terms[(counter % #terms) + 1], headers)
  elseif step == 2 then
    local food = dev.foods[(counter % #dev.foods) + 1]
    headers["Content-Type"] = "application/json"
    local body = string.format(
      '{"product_id":"%s","portion_id":"%s","day":"%s","meal_type":"%s","amount":"%d","unit":"g"}',
      food[1], food[2], day(d), meals[(counter % 4) + 1], 50 + counter % 200)
    return wrk.format("POST", "/v1/food-entries", headers, body)
  end
  return wrk.format("GET", "/v1/stats/day/" .. day(d), headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT scenario=%s requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "bytes=%d errors=%d non2xx=%d\n",
    scenario, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status))
end
