// Runs the compiled test suite: the usual summary on stdout (spec reporter)
// and the same results kept as TAP in test-results/node.tap for CI and tools.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";

mkdirSync("test-results", { recursive: true });
const { status } = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    "--test-reporter-destination=test-results/node.tap",
    ...(process.argv.length > 2 ? process.argv.slice(2) : ["dist/test/"]),
  ],
  { stdio: "inherit" },
);
process.exit(status ?? 1);
