import { isIP } from "node:net";

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Who made an optimizer and what it is called, as opengen's `OptimizerMeta`.
 * The name names the build folder and the TCP server folder, so it must be a
 * letter followed by letters, digits or underscores (at most 64 characters).
 * Immutable: every `with...` method returns a new object.
 */
export class OptimizerMeta {
  /** The optimizer's name (default "open_optimizer"). */
  readonly optimizerName: string;
  /** Its version (default "0.0.0"). */
  readonly version: string;
  /** Its authors (default none). */
  readonly authors: readonly string[];
  /** Its licence (default "MIT"). */
  readonly licence: string;

  /**
   * @param optimizerName a letter, then letters, digits or underscores
   * @param version any nonempty text
   * @param authors a list of names
   * @param licence any nonempty text
   */
  constructor(
    optimizerName = "open_optimizer",
    version = "0.0.0",
    authors: readonly string[] = [],
    licence = "MIT",
  ) {
    if (typeof optimizerName !== "string" || !NAME.test(optimizerName)) {
      throw new Error(
        `OptimizerMeta: optimizer name must be a letter followed by letters, digits or underscores (at most 64 characters), got ${JSON.stringify(optimizerName)}`,
      );
    }
    if (typeof version !== "string" || version.trim() === "") {
      throw new Error(`OptimizerMeta: version must be a nonempty string, got ${String(version)}`);
    }
    if (!Array.isArray(authors) || authors.some((a) => typeof a !== "string")) {
      throw new Error("OptimizerMeta: authors must be an array of strings");
    }
    if (typeof licence !== "string" || licence.trim() === "") {
      throw new Error(`OptimizerMeta: licence must be a nonempty string, got ${String(licence)}`);
    }
    this.optimizerName = optimizerName;
    this.version = version;
    this.authors = Object.freeze(authors.slice());
    this.licence = licence;
    Object.freeze(this);
  }

  /** Sets the name. */
  withOptimizerName(optimizerName: string): OptimizerMeta {
    return new OptimizerMeta(optimizerName, this.version, this.authors, this.licence);
  }
  /** Sets the version. */
  withVersion(version: string): OptimizerMeta {
    return new OptimizerMeta(this.optimizerName, version, this.authors, this.licence);
  }
  /** Sets the authors. */
  withAuthors(authors: readonly string[]): OptimizerMeta {
    return new OptimizerMeta(this.optimizerName, this.version, authors, this.licence);
  }
  /** Sets the licence. */
  withLicence(licence: string): OptimizerMeta {
    return new OptimizerMeta(this.optimizerName, this.version, this.authors, licence);
  }
}

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
