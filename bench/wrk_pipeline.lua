-- wrk_pipeline.lua: DEPTH requests to GET /plaintext in one write, so each
-- connection keeps DEPTH in flight (wrk counts every response).
--   wrk -s bench/wrk_pipeline.lua http://127.0.0.1:PORT -- 16
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do r[i] = wrk.format("GET", "/plaintext") end
  req = table.concat(r)
end

request = function()
  return req
end
