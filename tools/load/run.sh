#!/usr/bin/env bash
# Load run: wrk, 64 connections, 30 s, expectReplies message turns against the bot (seed knowledge
# base), then the same against a bare Kestrel JSON echo, plus the time from start to first answer.
# With --redis the bot runs scaled out: on a redis-server of its own (append-only, fsync on every
# write, as README asks of production) on a free loopback port.
# Needs wrk (apt-get install wrk; redis-server for --redis). Usage: tools/load/run.sh [seconds] [--redis]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=30
redis=""
for arg in "$@"; do
  case "$arg" in
    --redis) redis=1 ;;
    *) duration="$arg" ;;
  esac
done
data=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$data"' EXIT

if [ -n "$redis" ]; then
  redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$data/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$data/redis" --appendonly yes --appendfsync always --save '' >/dev/null &
  until redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
  export ConnectionStrings__Redis="127.0.0.1:$redis_port"
  echo "scaled out: redis-server on 127.0.0.1:$redis_port (appendonly, appendfsync always)"
fi

dotnet build -c Release src/HotlineBot -v q -nologo >/dev/null
dotnet build -c Release tools/load/EchoServer -v q -nologo >/dev/null

first_answer() {
  local start=$(date +%s.%N)
  Hotline__DataDirectory="$data" Logging__LogLevel__Default=Warning \
    dotnet src/HotlineBot/bin/Release/net10.0/HotlineBot.dll --urls http://127.0.0.1:3979 >/dev/null 2>&1 &
  bot=$!
  until curl -s -o /dev/null -X POST http://127.0.0.1:3979/api/messages -H 'Content-Type: application/json' \
      -d '{"type":"message","id":"1","channelId":"directline","from":{"id":"u"},"recipient":{"id":"b"},"conversation":{"id":"c"},"text":"加班费怎么算","deliveryMode":"expectReplies"}' 2>/dev/null; do
    sleep 0.02
  done
  echo "start to first answer: $(echo "$(date +%s.%N) - $start" | bc) s"
}

first_answer
echo "== bot: POST /api/messages (expectReplies), 64 connections, ${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -s tools/load/message.lua http://127.0.0.1:3979
kill "$bot"; wait "$bot" 2>/dev/null || true

dotnet tools/load/EchoServer/bin/Release/net10.0/EchoServer.dll --urls http://127.0.0.1:3980 >/dev/null 2>&1 &
until curl -s -o /dev/null http://127.0.0.1:3980/ 2>/dev/null; do sleep 0.05; done
echo "== bare Kestrel JSON echo, 64 connections, ${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -s tools/load/message.lua http://127.0.0.1:3980
