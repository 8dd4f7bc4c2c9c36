-- Shared head of publish.lua and history.lua (Scripts joins them): the channel's epoch and the age trim.
-- KEYS[1] meta hash {e = epoch, o = last offset}, KEYS[2] history list of "OFFSET:TIMESTAMP:BODY", oldest first.

-- The channel's epoch. A missing meta hash means the channel is new or Redis lost it (restart, eviction,
-- expiry): a fresh epoch, and any history left behind belongs to no epoch, so it goes.
local function epoch_of(meta, hist, fresh, meta_ttl)
  local epoch = redis.call('HGET', meta, 'e')
  if not epoch then
    epoch = fresh
    redis.call('DEL', hist)
    redis.call('HSET', meta, 'e', epoch, 'o', 0)
    redis.call('PEXPIRE', meta, meta_ttl)
  end
  return epoch
end

-- Drops entries older than max_age from the head (timestamps come from the publishing node's clock).
local function trim_age(hist, now, max_age)
  local cutoff = now - max_age
  while true do
    local head = redis.call('LINDEX', hist, 0)
    if not head then return end
    local ts = tonumber(string.match(head, '^%d+:(%d+):'))
    if ts >= cutoff then return end
    redis.call('LPOP', hist)
  end
end
