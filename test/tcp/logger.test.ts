import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger, type LogSink } from "../../src/tcp/logger.js";
import { captureSink } from "./helpers.js";

/** A sink that holds every write until told to finish it. */
function stalledSink() {
  const written: string[] = [];
  const waiting: (() => void)[] = [];
  const sink: LogSink = {
    write: (text, done) => {
      written.push(text);
      waiting.push(() => done(null));
    },
  };
  const release = (): void => {
    while (waiting.length > 0) waiting.shift()?.();
  };
  return { sink, written, release, pending: () => waiting.length };
}

describe("logger", () => {
  it("never waits for a stalled sink: it holds a bounded buffer and counts what it drops", async () => {
    const { sink, written, release, pending } = stalledSink();
    const log = createLogger({ level: "info", format: "json", sink, bufferChars: 2000 });
    for (let i = 0; i < 1000; i++) log.info("line", { i });
    // One write in flight, the rest held up to 2000 characters, the others dropped.
    assert.equal(pending(), 1);
    assert.equal(written.length, 1);
    assert.ok(log.dropped > 900, `dropped ${log.dropped}`);
    const dropped = log.dropped;
    for (let round = 0; round < 5 && pending() > 0; round++) release();
    await log.flush();
    const lines = written
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const kept = lines.filter((l) => l.msg === "line");
    assert.equal(kept.length + dropped, 1000);
    const notice = lines.find((l) => l.level === "warn");
    assert.equal(notice.msg, `dropped ${dropped} log lines: the log sink was too slow`);
  });

  it("writes JSON lines, or readable lines for a terminal", async () => {
    const sink = captureSink();
    const lines = sink.lines;
    const json = createLogger({ level: "debug", format: "json", sink });
    json.debug("run", { exitStatus: "Converged", innerIterations: 12 });
    json.trace("not at this level");
    const pretty = createLogger({ level: "info", format: "pretty", sink });
    pretty.info("listening on 127.0.0.1:8333", { workers: 1, note: 'a "quoted" word' });
    await Promise.all([json.flush(), pretty.flush()]);
    assert.equal(lines.length, 2);
    const record = JSON.parse(lines[0]);
    assert.deepEqual(
      { ...record, time: undefined },
      { time: undefined, level: "debug", msg: "run", exitStatus: "Converged", innerIterations: 12 },
    );
    assert.ok(!Number.isNaN(Date.parse(record.time)));
    assert.match(
      lines[1],
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}listening on 127\.0\.0\.1:8333 workers=1 note="a \\"quoted\\" word"\n$/,
    );
  });

  it("a failing sink stops being written to; silent writes nothing", async () => {
    let writes = 0;
    const log = createLogger({
      level: "info",
      format: "json",
      sink: {
        write: (_text, done) => {
          writes++;
          done(new Error("EPIPE"));
        },
      },
    });
    log.info("a");
    log.info("b");
    await log.flush();
    assert.equal(writes, 1);
    assert.equal(log.dropped, 1);
    const silent = createLogger({ level: "silent", sink: { write: () => assert.fail() } });
    silent.error("nothing");
    assert.equal(silent.enabled("error"), false);
  });

  it("an unknown level falls back to info and says so", async () => {
    const sink = captureSink();
    const log = createLogger({ level: "loud", format: "json", sink });
    await log.flush();
    assert.equal(log.level, "info");
    assert.match(sink.lines.join(""), /OPEN_ENGINE_LOG=loud is not a level/);
  });
});
