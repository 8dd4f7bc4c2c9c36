-- Node ARGV[1] holds user ARGV[2] (info ARGV[3]) in channel ARGV[5]; the first node to hold it makes it join.
-- ARGV[4] the events channel. A node adding a user again only updates its info.
local members, users = KEYS[1], KEYS[2]
local node, user, info, events, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HSET', members, node .. '/' .. user, info) == 1 then
  if redis.call('HINCRBY', users, user, 1) == 1 then
    redis.call('PUBLISH', events, event('j', node, channel, user, info))
  end
end
return {1}
