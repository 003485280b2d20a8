/**
 * The runtime of a built optimizer folder: what its `optimizer.js` and
 * `tcp_iface_{name}/server.js` import. When the package is built, this module
 * (with the TCP server's and `solveAsync`'s workers) is bundled into plain
 * modules that {@link OptimizerBuilder.build} copies into every folder, so
 * that a folder runs anywhere with Node.js alone.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { versionMismatch } from "../problem/runtime.js";
import { VERSION } from "../version.js";
import { runServerProcess } from "./serve.js";

export { createGeneratedOptimizer } from "../problem/runtime.js";
export { VERSION } from "../version.js";

/** What a folder's server.js states about its optimizer. */
export interface FolderServerInfo {
  /** The optimizer's name. */
  readonly name: string;
  /** The optimizer's version. */
  readonly version: string;
  /** The open-engine version that built the folder. */
  readonly builtWith: string;
  /** The default address. */
  readonly ip: string;
  /** The default port. */
  readonly port: number;
}

/**
 * The command line of a folder's server: `--version` prints the optimizer's
 * and open-engine's versions; otherwise it warns when the folder was built by
 * another open-engine version and serves (see `runServerProcess`).
 *
 * @param optimizerModule the folder's optimizer.js
 * @param argv the arguments after the script
 */
export async function runFolderServer(
  optimizerModule: URL,
  argv: string[],
  info: FolderServerInfo,
): Promise<void> {
  const mismatch = versionMismatch(info.builtWith);
  if (argv.includes("--version") || argv.includes("-V")) {
    const runtime = mismatch === undefined ? "" : `, running on open-engine ${VERSION}`;
    process.stdout.write(
      `${info.name} ${info.version} (built by open-engine ${info.builtWith}${runtime})\n`,
    );
    return;
  }
  if (mismatch !== undefined) process.stderr.write(`${info.name}: warning: ${mismatch}\n`);
  await runServerProcess(fileURLToPath(optimizerModule), argv, { ip: info.ip, port: info.port });
}
