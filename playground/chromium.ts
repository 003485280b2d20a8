/**
 * The system's Chromium, driven headless by playwright-core (which downloads
 * no browser): for the browser tests and the browser benchmark.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

const NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

/**
 * The Chromium to use: `$OPEN_ENGINE_CHROMIUM` when set, else the first of
 * chromium, chromium-browser, google-chrome on the PATH; `undefined` when none.
 */
export function findChromium(): string | undefined {
  const chosen = process.env.OPEN_ENGINE_CHROMIUM;
  if (chosen !== undefined && chosen !== "") return chosen;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of NAMES) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {}
    }
  }
  return undefined;
}

/** Starts Chromium headless (without its sandbox when run as root, which it refuses otherwise). */
export function launchChromium(executablePath: string): Promise<Browser> {
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({ executablePath, headless: true, args: asRoot ? ["--no-sandbox"] : [] });
}
