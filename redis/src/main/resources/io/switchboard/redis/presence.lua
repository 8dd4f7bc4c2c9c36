-- Shared head of the presence scripts (Script joins them).
-- KEYS[1] members hash {NODE/USER = info}, KEYS[2] users hash {USER = nodes holding it}.
-- Joins and leaves are PUBLISHed to every node as "j" or "l", then ORIGIN \n CHANNEL \n USERLEN \n USER INFO,
-- where ORIGIN is the node that made the change (and so sends its webhook events).

local function event(kind, origin, channel, user, info)
  return kind .. origin .. '\n' .. channel .. '\n' .. #user .. '\n' .. user .. info
end

-- Node NODE no longer holds USER: the user leaves when no node holds it. Returns 1 if NODE held it.
-- ORIGIN is the node making the change (NODE itself, or the live node reaping a dead NODE).
local function drop(members, users, node, user, events, channel, origin)
  local field = node .. '/' .. user
  local info = redis.call('HGET', members, field)
  if not info then return 0 end
  redis.call('HDEL', members, field)
  if redis.call('HINCRBY', users, user, -1) <= 0 then
    redis.call('HDEL', users, user)
    redis.call('PUBLISH', events, event('l', origin, channel, user, info))
  end
  return 1
end
