-- Node ARGV[1] is dead (its heartbeat expired): every user it held in channel ARGV[3] goes; ARGV[4] is the
-- live node reaping it. Several live nodes may reap the same dead node at once; drop is idempotent, so each
-- user leaves once.
local prefix = ARGV[1] .. '/'
local dropped = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, #prefix) == prefix then
    dropped = dropped + drop(KEYS[1], KEYS[2], ARGV[1], string.sub(field, #prefix + 1), ARGV[2], ARGV[3], ARGV[4])
  end
end
return {dropped}
