/** The OCP optimizer over TCP: a built folder's server, solved by named parameters. */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { OptimizerError, type SolveOptions } from "../solver/types.js";
import { OptimizerTcpManager } from "../tcp/client.js";
import type { OcpLayout, Rollout } from "./layout.js";
import { type OcpManifest, parseManifest } from "./manifest.js";
import { ParameterPack, type ParameterValues } from "./parameters.js";
import { OcpSolution } from "./solution.js";

/** Where {@link RemoteOcpOptimizer.load} finds the server. */
export interface RemoteOcpOptions {
  /** The server's address (default: the manifest's). */
  readonly ip?: string;
  /** The server's port (default: the manifest's). */
  readonly port?: number;
  /**
   * `true`: the server already runs at ip:port and is never started or
   * killed from here. Default `false`: the first solve starts the folder's
   * server, as opengen's `GeneratedOptimizer` does.
   */
  readonly remote?: boolean;
}

/**
 * An OCP optimizer served over TCP, loaded from a built folder's manifest.
 * `solve` takes the same named parameters as {@link OcpOptimizer.solve} and
 * resolves to the same {@link OcpSolution}.
 */
export class RemoteOcpOptimizer {
  /** The manifest. */
  readonly manifest: OcpManifest;
  /** The layout of inputs, states and parameters. */
  readonly layout: OcpLayout;
  /** The TCP client. */
  readonly manager: OptimizerTcpManager;
  private readonly pack: ParameterPack;
  private readonly rollout: Rollout | null;
  private readonly managed: boolean;
  // Concurrent first solves share one start.
  private starting: Promise<void> | null = null;

  private constructor(
    manifest: OcpManifest,
    layout: OcpLayout,
    manager: OptimizerTcpManager,
    rollout: Rollout | null,
    managed: boolean,
  ) {
    this.manifest = manifest;
    this.layout = layout;
    this.manager = manager;
    this.pack = ParameterPack.of(layout.parameters);
    this.rollout = rollout;
    this.managed = managed;
  }

  /**
   * Loads the manifest of a built folder (`optimizer_manifest.json`) and,
   * for single shooting, the rollout next to it.
   */
  static async load(
    manifestPath: string,
    options: RemoteOcpOptions = {},
  ): Promise<RemoteOcpOptimizer> {
    const path = resolve(manifestPath);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, "utf8"));
    } catch (e) {
      throw new Error(`${path}: cannot read the OCP manifest (${(e as Error).message})`);
    }
    const { manifest, layout } = parseManifest(json);
    const directory = dirname(path);
    let rollout: Rollout | null = null;
    if (manifest.rollout_file !== null) {
      const module = (await import(pathToFileURL(join(directory, manifest.rollout_file)).href)) as {
        rollout?: Rollout;
      };
      if (typeof module.rollout !== "function") {
        throw new Error(`${manifest.rollout_file} does not export rollout(u, p, out)`);
      }
      rollout = module.rollout;
    }
    const ip = options.ip ?? manifest.tcp.ip;
    const port = options.port ?? manifest.tcp.port;
    const remote = options.remote ?? false;
    const manager = remote
      ? OptimizerTcpManager.remote(ip, port)
      : OptimizerTcpManager.fromOptimizerDirectory(directory, { ip, port });
    return new RemoteOcpOptimizer(manifest, layout, manager, rollout, !remote);
  }

  /** Starts the folder's server (once) unless the optimizer was loaded as remote. */
  start(): Promise<void> {
    if (!this.managed) return Promise.resolve();
    if (this.starting === null) {
      this.starting = this.manager.start().catch((e: unknown) => {
        this.starting = null;
        throw e;
      });
    }
    return this.starting;
  }

  /** Stops the server this optimizer started (no effect otherwise). */
  async kill(): Promise<void> {
    const starting = this.starting;
    if (starting === null) return;
    await starting;
    this.starting = null;
    await this.manager.kill();
  }

  /**
   * Solves on the server for named parameter values, starting the server
   * first if needed. Rejects with an {@link OptimizerError} for bad
   * parameters or the server's error reply.
   */
  async solve(values: ParameterValues, options: SolveOptions = {}): Promise<OcpSolution> {
    const p = this.pack.pack(values);
    await this.start();
    const reply = await this.manager.call(p, options);
    if (!reply.ok)
      throw new OptimizerError(reply.error.code as OptimizerError["code"], reply.error.message);
    return new OcpSolution(this.layout, reply.status, p, this.rollout);
  }
}
