// `npm run example -- NAME [args]`: runs the compiled example dist/examples/NAME.js.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = new URL("../dist/examples/", import.meta.url);
const [name, ...args] = process.argv.slice(2);
const script = name === undefined ? undefined : new URL(`${name}.js`, dir);
if (script === undefined || !existsSync(script)) {
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".js"))
        .map((f) => f.slice(0, -3))
    : [];
  process.stderr.write(
    `usage: npm run example -- NAME, with NAME one of: ${names.join(", ") || "(none: run npm run build)"}\n`,
  );
  process.exit(2);
}
const { status } = spawnSync(process.execPath, [fileURLToPath(script), ...args], {
  stdio: "inherit",
});
process.exit(status ?? 1);
