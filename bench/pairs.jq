# Runs of the same (mode, database, users, rate) side by side, one row per configuration:
#   jq -r -s -f bench/pairs.jq bench/results/FILE.jsonl
# Each cell is "run 1 · run 2" (or more runs, in the order they ran); latencies p50 / p99 in ms.
def ms: if . == null or (type == "string") then "–" elif . >= 100 then (. | round | tostring) else ((. * 10 | round) / 10 | tostring) end;
def kib: (. / 1024 * 10 | round) / 10;
def db: if .database == null then "SQLite \(.sqliteSynchronous)"
  else .database | sub("synchronous_commit="; "commit ") | sub("synchronous="; "") end;
def cpu: "\(.nodeDriveCores)\(if .databaseDriveCores == null then "" else "+\(.databaseDriveCores)" end)";
def both(f): map(f | tostring) | join(" · ");
group_by([.mode, db, .users, .rate]) | sort_by(.[0].mode != "push/WebSockets", (.[0] | db), .[0].users, .[0].rate) | .[]
| "| \(.[0].mode) | \(.[0] | db) | \(.[0].users) | \(.[0].rate) | \(both(.loadAtStart | split(" ") | .[0])) | "
  + "\(both(.transitionsPerSecond)) | \(both("\(.deliveryFromSent.p50 | ms) / \(.deliveryFromSent.p99 | ms)")) | "
  + "\(both("\(.deliveryFromAnswer.p50 | ms) / \(.deliveryFromAnswer.p99 | ms)")) | "
  + "\(both("\(.lost) / \(.duplicates) / \(.notByPush)")) | \(both(cpu)) | \(both(.nodeIdleCores)) | \(both(.gcHeapPerClientBytes | kib)) |"
