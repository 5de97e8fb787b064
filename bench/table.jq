# Markdown rows from the bench's JSON lines: jq -r -f bench/table.jq bench/results/FILE.jsonl
def ms: if . == null or (type == "string") then "–" elif . >= 100 then (. | round | tostring) else ((. * 10 | round) / 10 | tostring) end;
def kib: (. / 1024 * 10 | round) / 10;
def db: if .database == null then "SQLite \(.sqliteSynchronous)"
  else .database | sub("synchronous_commit="; "commit ") | sub("synchronous="; "") end;
def cpu: "\(.nodeDriveCores)\(if .databaseDriveCores == null then "" else " + \(.databaseDriveCores)" end)";
"| \(.mode) | \(db) | \(.users) | \(.rate) | \(.label | split(" ") | last // "") | \(.loadAtStart | split(" ") | .[0]) | "
+ "\(.transitionsPerSecond) | \(.eventsPerSecond) | \(.transitionsSkipped) | \(.answer.p50 | ms) / \(.answer.p99 | ms) | "
+ "\(.deliveryFromSent.p50 | ms) / \(.deliveryFromSent.p99 | ms) | \(.deliveryFromAnswer.p50 | ms) / \(.deliveryFromAnswer.p99 | ms) | "
+ "\(.deliveryFromAt.p50 | ms) / \(.deliveryFromAt.p99 | ms) | \(.lost) / \(.duplicates) / \(.notByPush) | "
+ "\(cpu) / \(.nodeIdleCores) | \(.rssPerClientBytes | kib) / \(.gcHeapPerClientBytes | kib) | \(.gcAllocatedMiBPerSecond) / \(.gcPausePercent) |"
