/**
 * Request framing: which received bytes form the request. Pure, no sockets.
 *
 * The rule: a connection carries one request, the first JSON value it sends.
 * The value ends at the byte that closes it (a top-level object, array or
 * string), at the delimiter after a top-level scalar, or at the client's
 * half-close; bytes after it are never part of the request. The scanner reads
 * byte by byte with a few integers of state, so the request's bytes (and so
 * the reply) are the same however TCP splits them into packets.
 */

/** What the framer knows after some bytes: wait for more, or stop reading. */
export type FrameState = "more" | "complete" | "tooLarge";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EMPTY = Buffer.alloc(0);

function isJsonWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Bytes that end a top-level scalar: whitespace and JSON's structural characters. */
function endsScalar(b: number): boolean {
  return (
    isJsonWhitespace(b) ||
    b === 0x7b ||
    b === 0x7d ||
    b === 0x5b ||
    b === 0x5d ||
    b === QUOTE ||
    b === 0x2c ||
    b === 0x3a
  );
}

/**
 * Collects the bytes of one request in a single buffer that grows by doubling
 * up to the size limit, so that memory stays within twice the bytes held
 * whatever the packet sizes. Every byte of a multi-byte UTF-8 character is
 * >= 0x80, so it is never mistaken for a quote, a backslash or a bracket, and
 * characters split across packets need no special care.
 */
export class RequestFramer {
  private buffer: Buffer = EMPTY;
  private length = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  private state: FrameState = "more";

  /** @param maxBytes the size limit of a request in bytes */
  constructor(readonly maxBytes: number) {
    if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) {
      throw new Error(`RequestFramer: maxBytes must be a positive integer, got ${maxBytes}`);
    }
  }

  /** Bytes of the request received so far. */
  get size(): number {
    return this.length;
  }

  /** Bytes of memory the framer holds (at most twice {@link size}, plus a small start). */
  get capacity(): number {
    return this.buffer.length;
  }

  /**
   * Adds received bytes and returns the state. Bytes after the end of the
   * request are not kept; once the state is not "more", pushes are ignored.
   */
  push(chunk: Uint8Array): FrameState {
    if (this.state !== "more") return this.state;
    const end = this.scan(chunk);
    const take = end < 0 ? chunk.length : end;
    if (this.length + take > this.maxBytes) {
      this.state = "tooLarge";
      this.buffer = EMPTY;
      this.length = 0;
      return this.state;
    }
    this.append(chunk, take);
    if (end >= 0) this.state = "complete";
    return this.state;
  }

  /** The client half-closed: whatever was received is the request. */
  end(): FrameState {
    if (this.state === "more") this.state = "complete";
    return this.state;
  }

  /** The request's bytes (call once the state is "complete"). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private append(chunk: Uint8Array, count: number): void {
    const needed = this.length + count;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(
        Math.min(this.maxBytes, Math.max(256, 2 * this.buffer.length, needed)),
      );
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer.set(count === chunk.length ? chunk : chunk.subarray(0, count), this.length);
    this.length = needed;
  }

  /** Scans a chunk; returns how many of its bytes belong to the request if it ends here, else -1. */
  private scan(chunk: Uint8Array): number {
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let scalar = this.scalar;
    let end = -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (depth === 0) end = i + 1;
        }
      } else if (depth === 0 && scalar) {
        if (endsScalar(b)) end = i;
      } else if (b === QUOTE) inString = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        // A closing bracket at the top level is malformed: the request ends, so it is answered.
        depth--;
        if (depth <= 0) end = i + 1;
      } else if (depth === 0 && !isJsonWhitespace(b)) scalar = true;
      if (end >= 0) break;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.scalar = scalar;
    return end;
  }
}
