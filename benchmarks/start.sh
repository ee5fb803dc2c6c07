#!/usr/bin/env bash
# Start-up benchmark. Fresh clone: `make chat` (setup + app with an empty index, fresh model cache), time until /health says ready,
# one question through /ask, then the memory of the app process.
# Usage: bash benchmarks/start.sh   (kills any running `python app.py`; uses port 7860, /tmp/fresh, /tmp/fresh-models)
#        COLD=1 bash benchmarks/start.sh   also starts pip from an empty cache (/tmp/fresh-pip): the llama-cpp-python build counts
set -u
pkill -f "python app.py" 2>/dev/null; sleep 1
rm -rf /tmp/fresh /tmp/fresh-models && git clone -q "$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)" /tmp/fresh && cd /tmp/fresh
export RAG_LLM__MODEL_CACHE_DIR=/tmp/fresh-models RAG_EMBED__CACHE_DIR=/tmp/fresh-models  # GGUF assembled, MiniLM exported afresh
if [ "${COLD:-0}" = 1 ]; then rm -rf /tmp/fresh-pip; export PIP_CACHE_DIR=/tmp/fresh-pip; fi
start=$(date +%s.%N)
( make chat > /tmp/fresh_chat.log 2>&1 & )
page=""
for i in $(seq 1 1800); do
  sleep 1
  out=$(curl -s -X POST http://127.0.0.1:7860/gradio_api/call/health -H 'Content-Type: application/json' -d '{"data": []}' 2>/dev/null) || continue
  id=$(echo "$out" | python3 -c 'import sys,json; print(json.load(sys.stdin)["event_id"])' 2>/dev/null) || continue
  if [ -z "$page" ]; then page=$(date +%s.%N); echo "page up after $(echo "$page - $start" | bc) s"; fi
  res=$(curl -s http://127.0.0.1:7860/gradio_api/call/health/$id | grep '^data:' | head -1)
  if echo "$res" | grep -q '"state": "ready"'; then ready=$(date +%s.%N); echo "$res" | cut -c1-400; break; fi
done
echo "ready after $(echo "$ready - $start" | bc) s (includes make setup)"
pid=$(pgrep -f "python app.py" | head -1)
grep -E "VmRSS|VmHWM" /proc/$pid/status
q0=$(date +%s.%N)
out=$(curl -s -X POST http://127.0.0.1:7860/gradio_api/call/ask -H 'Content-Type: application/json' \
  -d '{"data": ["How many inference outcomes are in the benchmark for routing queries among multiple LLMs?", [], 0]}')
id=$(echo "$out" | python3 -c 'import sys,json; print(json.load(sys.stdin)["event_id"])')
curl -s http://127.0.0.1:7860/gradio_api/call/ask/$id | grep '^data:' | head -1 | cut -c1-300
echo "first answer after $(echo "$(date +%s.%N) - $q0" | bc) s"
grep -E "VmRSS|VmHWM" /proc/$pid/status
grep "^setup \[" /tmp/fresh_chat.log
echo "the app is still running: pkill -f 'python app.py' stops it"
