-- Shared head of the presence scripts (Script joins them).
-- KEYS[1] members hash {NODE/USER = info}, KEYS[2] users hash {USER = nodes holding it}.
-- Joins and leaves are PUBLISHed to every node as "j" or "l", then CHANNEL \n USERLEN \n USER INFO.

local function event(kind, channel, user, info)
  return kind .. channel .. '\n' .. #user .. '\n' .. user .. info
end

-- Node NODE no longer holds USER: the user leaves when no node holds it. Returns 1 if NODE held it.
local function drop(members, users, node, user, events, channel)
  local field = node .. '/' .. user
  local info = redis.call('HGET', members, field)
  if not info then return 0 end
  redis.call('HDEL', members, field)
  if redis.call('HINCRBY', users, user, -1) <= 0 then
    redis.call('HDEL', users, user)
    redis.call('PUBLISH', events, event('l', channel, user, info))
  end
  return 1
end
