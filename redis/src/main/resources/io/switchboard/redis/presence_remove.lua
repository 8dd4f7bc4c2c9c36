-- Node ARGV[1] no longer holds user ARGV[2] in channel ARGV[4]; ARGV[3] the events channel.
return {drop(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[1])}
