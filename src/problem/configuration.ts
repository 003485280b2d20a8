import { isIP } from "node:net";

// OptimizerMeta lives in meta.ts (the browser entry needs it without node:net); importers of
// this module keep finding it here.
export { OptimizerMeta } from "./meta.js";

/**
 * Where the TCP server of a built optimizer listens by default, as opengen's
 * `TcpServerConfiguration` (both can be overridden when the server starts).
 */
export class TcpServerConfiguration {
  /** The address to bind (default "127.0.0.1": local access only; "0.0.0.0" for all). */
  readonly ip: string;
  /** The port (default 8333). */
  readonly port: number;

  /**
   * @param ip an IPv4 or IPv6 address
   * @param port an integer in 1..65535
   */
  constructor(ip = "127.0.0.1", port = 8333) {
    if (typeof ip !== "string" || isIP(ip) === 0) {
      throw new Error(`TcpServerConfiguration: ip must be an IPv4 or IPv6 address, got ${ip}`);
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`TcpServerConfiguration: port must be an integer in 1..65535, got ${port}`);
    }
    this.ip = ip;
    this.port = port;
    Object.freeze(this);
  }
}

/**
 * How an optimizer is built, as opengen's `BuildConfiguration`: the folder
 * that receives `{buildDirectory}/{name}/` and the TCP server's defaults.
 * Immutable: every `with...` method returns a new object.
 */
export class BuildConfiguration {
  /** The build directory, relative to the working directory or absolute (default "build"). */
  readonly buildDirectory: string;
  /** The TCP server's default address and port. */
  readonly tcpInterfaceConfig: TcpServerConfiguration;

  /**
   * @param buildDirectory a nonempty path
   * @param tcpInterfaceConfig the TCP server's defaults (default 127.0.0.1:8333)
   */
  constructor(
    buildDirectory = "build",
    tcpInterfaceConfig: TcpServerConfiguration = new TcpServerConfiguration(),
  ) {
    if (typeof buildDirectory !== "string" || buildDirectory === "") {
      throw new Error(
        `BuildConfiguration: build directory must be a nonempty path, got ${String(buildDirectory)}`,
      );
    }
    if (!(tcpInterfaceConfig instanceof TcpServerConfiguration)) {
      throw new Error("BuildConfiguration: tcp interface config must be a TcpServerConfiguration");
    }
    this.buildDirectory = buildDirectory;
    this.tcpInterfaceConfig = tcpInterfaceConfig;
    Object.freeze(this);
  }

  /** Sets the build directory. */
  withBuildDirectory(buildDirectory: string): BuildConfiguration {
    return new BuildConfiguration(buildDirectory, this.tcpInterfaceConfig);
  }
  /** Sets the TCP server's defaults. */
  withTcpInterfaceConfig(tcpInterfaceConfig: TcpServerConfiguration): BuildConfiguration {
    return new BuildConfiguration(this.buildDirectory, tcpInterfaceConfig);
  }
}
