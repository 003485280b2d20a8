/** Type-checks a user's snippet as `tsc --init` would (strict, noUncheckedIndexedAccess). */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The compiler's messages for `source` (empty when it compiles), which
 * imports "open-engine": resolved to the built declarations, as a user of
 * the package sees them.
 */
export async function typecheckStrict(source: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "strict-"));
  try {
    const entry = join(ROOT, "dist/src/index.js").replaceAll("\\", "/");
    // An ES module project, as `npm init` with "type": "module" makes.
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "usage.ts"), source.replaceAll('"open-engine"', JSON.stringify(entry)));
    const args = [
      join(ROOT, "node_modules/typescript/bin/tsc"),
      "--noEmit",
      "--strict",
      "--noUncheckedIndexedAccess",
      "--exactOptionalPropertyTypes",
      "--module",
      "nodenext",
      "--target",
      "es2023",
      "--types",
      "node",
      "--typeRoots",
      join(ROOT, "node_modules/@types"),
      "--skipLibCheck",
      join(dir, "usage.ts"),
    ];
    return await new Promise<string>((done) => {
      execFile(process.execPath, args, (error, stdout, stderr) => {
        done(error === null ? "" : `${stdout}${stderr}`);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
