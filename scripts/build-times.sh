#!/usr/bin/env bash
# Usage: scripts/build-times.sh DIR — incremental rebuild times of `cargo build --workspace --tests`
# after one real edit of each kind (reverted afterwards with git checkout, so run
# it on a clean tree: uncommitted changes to the edited files would be lost).
# Each edit goes to the file that holds that kind of code in DIR's layout
# (the first of the listed paths that exists), so the same script measures a
# checkout from before the restructure (issue 13) and after it.
set -u
cd "$1"
n=0
pick() { for f in "$@"; do [ -e "$f" ] && { echo "$f"; return; }; done; echo "none of: $*" >&2; }
build() { cargo build --workspace --tests >/dev/null 2>/tmp/bt.err; }
report() {
  echo "$1: $(cat /tmp/bt.time) (wall s, user s)"
}
measure() {
  local name=$1 file=$2 text=$3
  n=$((n+1))
  printf '%s\n' "$text" | sed "s/N/$n$RANDOM/g" >> "$file"
  /usr/bin/time -f "%e %U" -o /tmp/bt.time cargo build --workspace --tests >/dev/null 2>/tmp/bt.err || { echo "$name: build failed"; tail -5 /tmp/bt.err; }
  report "$name"
  git checkout -q -- "$file"
  build
}
# A new method with a default body in the trait a task method goes in.
measure_trait_method() {
  local name=$1 file=$2 trait_line=$3
  n=$((n+1))
  sed -i "/$trait_line/a\\    async fn build_probe_$n(\&self) -> Result<u32> { Ok($n) }" "$file"
  /usr/bin/time -f "%e %U" -o /tmp/bt.time cargo build --workspace --tests >/dev/null 2>/tmp/bt.err || { echo "$name: build failed"; tail -5 /tmp/bt.err; }
  report "$name"
  git checkout -q -- "$file"
  build
}
build
sql=$(pick crates/coordination/samspil-coordination-sql/src/shared/tasks.rs crates/platform/samspil-sql/src/shared/tasks.rs crates/samspil-storage/src/shared_sql_tasks.rs)
page=$(pick crates/coordination/samspil-coordination-web/src/pages_tasks.rs crates/platform/samspil-web/src/pages_tasks.rs crates/samspil-web/src/pages_tasks.rs)
template=$(pick crates/coordination/samspil-coordination-web/templates/task.html crates/platform/samspil-web/templates/task.html crates/samspil-web/templates/task.html)
rule=$(pick crates/coordination/samspil-coordination/src/task.rs crates/platform/samspil-domain/src/task.rs crates/samspil-domain/src/task.rs)
kernel=$(pick crates/platform/samspil-domain/src/org.rs crates/samspil-domain/src/org.rs)
trait_file=$(pick crates/coordination/samspil-coordination-storage/src/tasks.rs crates/platform/samspil-storage/src/tasks.rs crates/samspil-storage/src/tasks.rs)
if grep -q "pub trait TaskStore" "$trait_file" 2>/dev/null; then trait_line="pub trait TaskStore"; else trait_file=crates/samspil-storage/src/lib.rs; trait_line="pub trait Storage"; fi
measure "one SQL edit (a function in $sql)" "$sql" '#[allow(dead_code)] fn build_probe_N() -> u32 { N }'
measure "one page edit (a function in $page)" "$page" '#[allow(dead_code)] fn build_probe_N() -> u32 { N }'
measure "one template edit ($template)" "$template" '{# build probe N #}'
measure "one coordination rule edit (a pub fn in $rule)" "$rule" 'pub fn build_probe_N() -> u32 { N }'
measure "one kernel edit (a pub fn in $kernel)" "$kernel" 'pub fn build_probe_N() -> u32 { N }'
measure_trait_method "one new storage method (in $trait_line, $trait_file)" "$trait_file" "$trait_line"
