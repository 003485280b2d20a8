/**
 * The version of this open-engine installation. Built optimizer folders
 * record it (optimizer.yml, `server.js --version`) and warn when they run on
 * a runtime of another version.
 */
import { readFileSync } from "node:fs";

/** The open-engine version, from the package's package.json (from dist/src/). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;
