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
