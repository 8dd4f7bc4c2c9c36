-- A node got its first subscriber of a channel (ARGV[2] = '1') or lost its last ('0'). KEYS[1] is the set of
-- nodes with subscribers of the channel; ARGV[1] the node. Returns {1} when the whole cluster changed: the
-- first node in, or the last one out (each is then one channel_occupied or channel_vacated event).
if ARGV[2] == '1' then
  if redis.call('SADD', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 1 then return {1} end
else
  if redis.call('SREM', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 0 then return {1} end
end
return {0}
