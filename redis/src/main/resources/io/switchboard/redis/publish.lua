-- One publish, atomically: next offset, append to history trimmed by size and age, fan out.
-- KEYS[3] the channel's shard pub/sub channel (same hash tag, so one slot on Redis Cluster).
-- ARGV: body, now (ms), history size, history age (ms), fresh epoch, meta ttl (ms).
-- Returns {epoch, offset}.
local meta, hist, pubsub = KEYS[1], KEYS[2], KEYS[3]
local now, size, max_age, meta_ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[6])
local epoch = epoch_of(meta, hist, ARGV[5], meta_ttl)
local offset = redis.call('HINCRBY', meta, 'o', 1)
redis.call('PEXPIRE', meta, meta_ttl)
local entry = offset .. ':' .. ARGV[2] .. ':' .. ARGV[1]
if size > 0 then
  redis.call('RPUSH', hist, entry)
  redis.call('LTRIM', hist, -size, -1)
  trim_age(hist, now, max_age)
  -- Entries older than the age are useless: let Redis drop the list of a channel gone quiet.
  redis.call('PEXPIRE', hist, max_age + 1000)
end
redis.call('SPUBLISH', pubsub, epoch .. ':' .. entry)
return {epoch, offset}
