-- A history read (see Broker#history): the newest LIMIT entries, or the entries after SINCE, or a gap.
-- ARGV: since epoch ('' for none), since offset, limit, now (ms), history age (ms), fresh epoch, meta ttl (ms).
-- Returns {epoch, latest offset, gap (0/1), entries...}.
local meta, hist = KEYS[1], KEYS[2]
local limit, now, max_age = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local epoch = epoch_of(meta, hist, ARGV[6], tonumber(ARGV[7]))
local offset = tonumber(redis.call('HGET', meta, 'o'))
trim_age(hist, now, max_age)
local out = {epoch, offset, 0}
local entries
if ARGV[1] == '' then
  if limit == 0 then return out end
  entries = redis.call('LRANGE', hist, -limit, -1)
else
  local since = tonumber(ARGV[2])
  if ARGV[1] ~= epoch or since > offset then
    out[3] = 1
    return out
  end
  -- Offsets in the list are contiguous: the head's offset places every other entry.
  local first = offset + 1
  local head = redis.call('LINDEX', hist, 0)
  if head then first = tonumber(string.match(head, '^(%d+):')) end
  if since + 1 < first then
    out[3] = 1
    return out
  end
  if limit == 0 or since == offset then return out end
  local start = since + 1 - first
  entries = redis.call('LRANGE', hist, start, start + limit - 1)
end
for i = 1, #entries do out[#out + 1] = entries[i] end
return out
