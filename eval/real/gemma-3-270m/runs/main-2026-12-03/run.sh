#!/usr/bin/env bash
# The real-model run of all eval tasks on one commit, in chunks that share the machine:
#
#   flock /work/.heavy.lock bash run.sh chunk   # one chunk, holding the heavy-job lock
#   bash run.sh left                            # the tasks not scored yet
#
# Two `nocodo serve` processes (started beforehand, 1 thread each at nice -n -5) answer side by
# side, one per core: RUST_URL (context 8192) takes queue-rust.txt in order; SOLID_URL (context
# 16384: the solid-form and solid-state prompts hold 12.3k and 9.2k tokens) takes
# queue-solid.txt, then helps with queue-rust.txt from its end (a task is claimed before it runs,
# so none runs twice; a prompt that fits gets the same answer at 8k and at 16k). --max-tokens is
# the mode's: 192 for the Rust modes, 512 for the Solid ones. A chunk starts no new task after
# CHUNK_S seconds (default 720), and a task already in its report is skipped, so the next chunk
# continues. Every task gets its own report (<set>/<task>.json, `nocodo eval --resume`), so a
# stopped run keeps what it finished. A cold 12k-token prompt takes minutes to read on one
# thread, so the first token may take up to 15 minutes (the eval's default, 3, is for a server
# that is up to speed). scripts/real-eval-report.ts turns the folder into the README's tables.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
cd "$root"
chunk_s="${CHUNK_S:-720}"
claims="${CLAIMS_DIR:-/tmp/nocodo-real-run-claims}"
start=$(date +%s)
load() { cut -d' ' -f1-3 /proc/loadavg; }

done_already() { [ -f "$1" ] && jq -e '.results | length > 0' "$1" >/dev/null 2>&1; }

stream() { # base-url log queue-file [queue-file, taken from its end]
  local url=$1 log=$2 id out elapsed max claim
  while read -r id; do
    [ -z "$id" ] && continue
    out="$here/$id.json"
    done_already "$out" && continue
    elapsed=$(( $(date +%s) - start ))
    if [ "$elapsed" -ge "$chunk_s" ]; then echo "=== $(date -u +%T) chunk time up (${elapsed} s); next: $id" >>"$log"; break; fi
    claim="$claims/${id//\//__}"
    mkdir "$claim" 2>/dev/null || continue
    case "$(jq -r .mode "eval/tasks/$id/task.json")" in solid-* | daisyui-*) max=512 ;; *) max=192 ;; esac
    echo "=== $(date -u +%T) start $id max-tokens $max on $url commit $(git rev-parse --short HEAD) load $(load)" >>"$log"
    nice -n -5 node dist/cli.js eval --base-url "$url" --model gemma-3-270m-q4_k_m --tasks "eval/tasks/$id" \
      --max-tokens "$max" --first-token-timeout-ms 900000 --timeout-ms 1800000 \
      --out "$out" --stop-after "$chunk_s" --resume >>"$log" 2>&1
    echo "=== $(date -u +%T) done $id rc=$? load $(load)" >>"$log"
    rmdir "$claim"
  done < <(cat "$here/$3"; if [ -n "${4:-}" ]; then tac "$here/$4"; fi)
}

case "${1:-}" in
  chunk)
    : "${RUST_URL:?RUST_URL: base URL of the 8k nocodo serve}" "${SOLID_URL:?SOLID_URL: base URL of the 16k nocodo serve}"
    mkdir -p "$claims"
    echo "=== $(date -u +%T) chunk start, commit $(git rev-parse HEAD), load $(load)" | tee -a "$here/run-rust.log" >>"$here/run-solid.log"
    stream "$RUST_URL" "$here/run-rust.log" queue-rust.txt &
    stream "$SOLID_URL" "$here/run-solid.log" queue-solid.txt queue-rust.txt &
    wait
    echo "=== $(date -u +%T) chunk end, load $(load)" | tee -a "$here/run-rust.log" >>"$here/run-solid.log"
    ;;
  left)
    cat "$here/queue-rust.txt" "$here/queue-solid.txt" | while read -r id; do done_already "$here/$id.json" || echo "$id"; done
    ;;
  *) echo "usage: bash run.sh chunk|left" >&2; exit 2 ;;
esac
