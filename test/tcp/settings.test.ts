import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Command } from "commander";
import { addServerOptions, serverSettingsOf } from "../../src/cli/serve.js";
import { resolveSettings, SERVER_SETTINGS, SETTING_NAMES } from "../../src/tcp/settings.js";

describe("server settings", () => {
  it("one table gives startServer's defaults and checks", () => {
    const defaults = resolveSettings();
    for (const name of SETTING_NAMES) {
      assert.equal(defaults[name], SERVER_SETTINGS[name].defaultValue, name);
    }
    assert.throws(
      () => resolveSettings({ maxConnections: 0 }),
      /server option maxConnections must be an integer from 1 to 65536, got 0/,
    );
    assert.throws(() => resolveSettings({ port: 1.5 }), /port must be a port/);
    assert.throws(
      () => resolveSettings({ allowKill: "no" as unknown as boolean }),
      /allowKill must be true or false/,
    );
  });

  it("the same table gives the command line its flags, defaults and checks", () => {
    const parse = (argv: string[]) => {
      const command = addServerOptions(new Command("serve"), { port: 4598 }).exitOverride();
      command.configureOutput({ writeErr: () => {} });
      command.parse(argv, { from: "user" });
      return resolveSettings(serverSettingsOf(command.opts()));
    };
    assert.deepEqual(parse([]), { ...resolveSettings(), port: 4598 });
    assert.deepEqual(
      parse([
        "--request-timeout",
        "2500",
        "--max-connections",
        "7",
        "--max-queue",
        "0",
        "--watchdog-margin",
        "50",
        "--shutdown-grace",
        "1",
        "--max-request-bytes",
        "4096",
        "--workers",
        "3",
        "--no-kill",
      ]),
      {
        ...resolveSettings(),
        port: 4598,
        requestTimeoutMs: 2500,
        maxConnections: 7,
        maxQueue: 0,
        watchdogMarginMs: 50,
        shutdownGraceMs: 1,
        maxRequestBytes: 4096,
        workers: 3,
        allowKill: false,
      },
    );
    assert.equal(parse(["--workers", "auto"]).workers, "auto");
    assert.throws(
      () => parse(["--workers", "all"]),
      /'all' is not a positive integer up to 1024, or auto/,
    );
    assert.throws(() => parse(["--max-queue", "-1"]), /'-1' is not an integer from 0 to 65536/);
    assert.throws(() => parse(["--request-timeout", "soon"]), /'soon' is not an integer/);
  });

  it("docs/protocol.md lists every setting with its flag and default", () => {
    const doc = readFileSync(new URL("../../../docs/protocol.md", import.meta.url), "utf8");
    for (const name of SETTING_NAMES) {
      const { flag, defaultValue } = SERVER_SETTINGS[name];
      const cli = typeof defaultValue === "boolean" ? `--no-${flag}` : `--${flag}`;
      const row = doc.split("\n").find((line) => line.startsWith(`| \`${cli}\` | \`${name}`));
      assert.ok(row !== undefined, `no row for ${cli}`);
      if (typeof defaultValue !== "boolean") assert.ok(row.includes(`${defaultValue}`), row);
    }
  });
});
