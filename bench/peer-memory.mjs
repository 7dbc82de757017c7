// Preloaded into each peer node by scripts/bench (NODE_OPTIONS=--import=...), so the benchmark can
// read the peer's heap the way it reads Switchboard's (jcmd GC.run + GC.heap_info): on SIGUSR2,
// collect garbage and write process.memoryUsage() to $BENCH_PEER_MEMORY_DIR/memory-<pid>.json.
// It does nothing else and costs nothing until the signal.
import v8 from "node:v8";
import vm from "node:vm";
import { writeFileSync, renameSync } from "node:fs";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const dir = process.env.BENCH_PEER_MEMORY_DIR ?? "/tmp";
process.on("SIGUSR2", () => {
  gc();
  const file = `${dir}/memory-${process.pid}.json`;
  writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
  renameSync(`${file}.tmp`, file);
});
