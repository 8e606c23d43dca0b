#!/usr/bin/env bash
# Usage: scripts/build-times.sh DIR — incremental rebuild times of `cargo build --workspace --tests`
# after one real edit of each kind (reverted afterwards with git checkout, so run
# it on a clean tree: uncommitted changes to the edited files would be lost).
set -u
cd "$1"
n=0
measure() {
  local name=$1 file=$2 text=$3
  n=$((n+1))
  printf '%s\n' "$text" | sed "s/N/$n$RANDOM/g" >> "$file"
  /usr/bin/time -f "%e %U" -o /tmp/bt.time cargo build --workspace --tests >/dev/null 2>/tmp/bt.err || { echo "$name: build failed"; tail -5 /tmp/bt.err; }
  echo "$name: $(cat /tmp/bt.time) (wall s, user s)"
  git checkout -q -- "$file"
  cargo build --workspace --tests >/dev/null 2>&1
}
domain_rule=$(ls crates/coordination/samspil-coordination/src/task.rs crates/platform/samspil-domain/src/task.rs 2>/dev/null | head -1)
measure "one SQL edit (a function in shared/tasks.rs)" crates/platform/samspil-sql/src/shared/tasks.rs '#[allow(dead_code)] fn build_probe_N() -> u32 { N }'
measure "one page edit (a function in pages_tasks.rs)" crates/platform/samspil-web/src/pages_tasks.rs '#[allow(dead_code)] fn build_probe_N() -> u32 { N }'
measure "one template edit (task.html)" crates/platform/samspil-web/templates/task.html '{# build probe N #}'
measure "one coordination rule edit (a pub fn in task.rs)" "$domain_rule" 'pub fn build_probe_N() -> u32 { N }'
measure "one kernel edit (a pub fn in samspil-domain/src/org.rs)" crates/platform/samspil-domain/src/org.rs 'pub fn build_probe_N() -> u32 { N }'
