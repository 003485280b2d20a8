/**
 * The TCP/JSON protocol of PROTOCOL.md as pure functions: request framing,
 * request parsing with the protocol's exact error codes and messages, and
 * reply serialisation. No sockets here.
 */
import { ErrorCode, type SolverStatus } from "../solver/types.js";

/** Default limit of a request's size in bytes (1 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

/** A valid request of the protocol. */
export type Request =
  | { readonly type: "Ping"; readonly id: number }
  | {
      readonly type: "Run";
      readonly parameter: number[];
      readonly initialGuess: number[] | null;
      readonly initialLagrangeMultipliers: number[] | null;
      readonly initialPenalty: number | null;
    }
  | { readonly type: "Kill"; readonly id: number };

/** The outcome of parsing a request: the request, or error 1000 with its message. */
export type ParseResult =
  | { readonly ok: true; readonly request: Request }
  | { readonly ok: false; readonly code: number; readonly message: string };

/** What the framer knows after some bytes: wait for more, or stop reading. */
export type FrameState = "more" | "complete" | "tooLarge";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isJsonWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Collects the bytes of one request. The request is complete when the
 * bytes so far form one complete JSON value (a top-level object, array or
 * string is closed, or a top-level scalar is followed by whitespace), or when
 * the client half-closes ({@link RequestFramer.end}). The scanner works on
 * bytes: every byte of a multi-byte UTF-8 character is >= 0x80, so it can
 * never be mistaken for a quote, a backslash or a bracket, and characters
 * split across packets need no special care.
 */
export class RequestFramer {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  private state: FrameState = "more";

  /** @param maxBytes the size limit of a request in bytes */
  constructor(readonly maxBytes: number = DEFAULT_MAX_REQUEST_BYTES) {
    if (!(Number.isInteger(maxBytes) && maxBytes > 0)) {
      throw new Error(`RequestFramer: maxBytes must be a positive integer, got ${maxBytes}`);
    }
  }

  /** Bytes received so far. */
  get size(): number {
    return this.length;
  }

  /** Adds received bytes; once the state is not "more", further bytes are ignored. */
  push(chunk: Buffer): FrameState {
    if (this.state !== "more") return this.state;
    if (this.length + chunk.length > this.maxBytes) {
      this.state = "tooLarge";
      this.chunks.length = 0;
      return this.state;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.scan(chunk)) this.state = "complete";
    return this.state;
  }

  /** The client half-closed: whatever was received is the request. */
  end(): FrameState {
    if (this.state === "more") this.state = "complete";
    return this.state;
  }

  /** The request's bytes (call once the state is "complete"). */
  bytes(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
  }

  private scan(chunk: Buffer): boolean {
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let scalar = this.scalar;
    let complete = false;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (depth === 0) complete = true;
        }
      } else if (b === QUOTE) inString = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        // A closing bracket at the top level is malformed: complete, so it is answered.
        depth--;
        if (depth <= 0) complete = true;
      } else if (isJsonWhitespace(b)) {
        if (depth === 0 && scalar) complete = true;
      } else if (depth === 0) scalar = true;
      if (complete) break;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.scalar = scalar;
    return complete;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function invalid(message: string): ParseResult {
  return { ok: false, code: ErrorCode.InvalidRequest, message: `invalid request: ${message}` };
}

/** Error 1000 for a request over the size limit. */
export function tooLargeMessage(maxBytes: number): string {
  return `invalid request: request exceeds the size limit of ${maxBytes} bytes`;
}

/** Error 1000 for a connection that sent no complete request in time. */
export function idleTimeoutMessage(timeoutMs: number): string {
  return `invalid request: no complete request received within ${timeoutMs} ms`;
}

/** Parses the bytes of one request into a {@link Request} or error 1000 with PROTOCOL.md's message. */
export function parseRequest(bytes: Uint8Array): ParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return invalid("request body is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return invalid(describeSyntaxError(text) ?? (e as Error).message);
  }
  return toRequest(value);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return "a string";
  if (typeof v === "number") return `the number ${v}`;
  return `a ${typeof v}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const EXPECTED_SHAPE = 'expected an object with exactly one key, "Ping", "Run" or "Kill"';

function toRequest(value: unknown): ParseResult {
  if (!isPlainObject(value)) return invalid(`${EXPECTED_SHAPE}, got ${typeName(value)}`);
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return invalid(`${EXPECTED_SHAPE}, got an object with ${keys.length} keys`);
  }
  const key = keys[0];
  const body = value[key];
  switch (key) {
    case "Ping":
      if (
        typeof body !== "number" ||
        !Number.isInteger(body) ||
        body < -2147483648 ||
        body > 2147483647
      ) {
        return invalid(`Ping expects an integer in the signed 32-bit range, got ${typeName(body)}`);
      }
      return { ok: true, request: { type: "Ping", id: body } };
    case "Kill":
      if (typeof body !== "number" || !Number.isInteger(body)) {
        return invalid(`Kill expects an integer, got ${typeName(body)}`);
      }
      return { ok: true, request: { type: "Kill", id: body } };
    case "Run":
      return toRun(body);
    default:
      return invalid(
        `unknown request type ${JSON.stringify(key)}, expected "Ping", "Run" or "Kill"`,
      );
  }
}

/** Returns the vector, or the message of why it is not one. */
function toVector(v: unknown, name: string): number[] | string {
  if (!Array.isArray(v)) return `Run.${name} must be an array of numbers, got ${typeName(v)}`;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number") return `Run.${name}[${i}] must be a number, got ${typeName(x)}`;
    // JSON.parse turns numbers beyond the double range into Infinity.
    if (!Number.isFinite(x)) return `Run.${name}[${i}] is out of the range of a double`;
  }
  return v as number[];
}

function optionalVector(v: unknown, name: string): number[] | null | string {
  return v === undefined || v === null ? null : toVector(v, name);
}

function toRun(body: unknown): ParseResult {
  if (!isPlainObject(body)) return invalid(`Run expects an object, got ${typeName(body)}`);
  if (body.parameter === undefined) return invalid("Run.parameter is missing");
  const parameter = toVector(body.parameter, "parameter");
  if (typeof parameter === "string") return invalid(parameter);
  const initialGuess = optionalVector(body.initial_guess, "initial_guess");
  if (typeof initialGuess === "string") return invalid(initialGuess);
  let initialY = optionalVector(body.initial_lagrange_multipliers, "initial_lagrange_multipliers");
  if (typeof initialY === "string") return invalid(initialY);
  if (initialY === null) {
    initialY = optionalVector(body.initial_y, "initial_y");
    if (typeof initialY === "string") return invalid(initialY);
  }
  const c0 = body.initial_penalty;
  let initialPenalty: number | null = null;
  if (c0 !== undefined && c0 !== null) {
    if (typeof c0 !== "number" || !(c0 > 0) || !Number.isFinite(c0)) {
      return invalid(`Run.initial_penalty must be a positive finite number, got ${typeName(c0)}`);
    }
    initialPenalty = c0;
  }
  return {
    ok: true,
    request: {
      type: "Run",
      parameter,
      initialGuess,
      initialLagrangeMultipliers: initialY,
      initialPenalty,
    },
  };
}

/**
 * Finds the first JSON syntax error of `text` and describes it with its
 * position as `line L column C` (both from 1, columns counting UTF-16 code
 * units; at the end of the input, the column of the last character), or
 * returns null when `text` is valid JSON. Iterative, so any nesting depth is fine.
 */
export function describeSyntaxError(text: string): string | null {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 0x7b for objects, 0x5b for arrays
  const at = (what: string, pos: number): string => {
    const p = Math.min(pos, n);
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < p; k++) {
      if (text.charCodeAt(k) === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    const column = pos >= n ? p - lineStart : p - lineStart + 1;
    return `${pos >= n ? "EOF while parsing" : what} at line ${line} column ${column}`;
  };
  const skipWs = (): void => {
    while (i < n && isJsonWhitespace(text.charCodeAt(i))) i++;
  };
  // Returns an error message or null after consuming one string.
  const scanString = (): string | null => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return null;
      }
      if (c < 0x20) return at("control character in a string", i);
      if (c === BACKSLASH) {
        const e = text.charCodeAt(i + 1);
        if (i + 1 >= n) return at("", n);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            if (i + k >= n) return at("", n);
            if (!/[0-9a-fA-F]/.test(text[i + k])) return at("invalid \\u escape", i + k);
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i + 1])) return at("invalid escape", i + 1);
        i += 2;
        continue;
      }
      i++;
    }
    return at("", n);
  };
  const scanNumber = (): string | null => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m === null || m[0] === "" || m[0] === "-") return at("expected value", i);
    const end = i + m[0].length;
    const next = text[end];
    if (next === "." || next === "e" || next === "E" || (next >= "0" && next <= "9")) {
      return at("invalid number", end);
    }
    i = end;
    return null;
  };
  // Consumes an object key and its colon.
  const scanKey = (): string | null => {
    skipWs();
    if (i >= n) return at("", n);
    if (text.charCodeAt(i) !== QUOTE) return at("key must be a string", i);
    const err = scanString();
    if (err !== null) return err;
    skipWs();
    if (i >= n) return at("", n);
    if (text.charCodeAt(i) !== 0x3a) return at("expected `:`", i);
    i++;
    return null;
  };
  let needValue = true;
  for (;;) {
    skipWs();
    if (needValue) {
      // One value; an opened container waits for its first element (or its end) here.
      if (i >= n) return at("", n);
      const c = text.charCodeAt(i);
      let err: string | null = null;
      if (c === QUOTE) err = scanString();
      else if (c === 0x7b || c === 0x5b) {
        i++;
        skipWs();
        if (text.charCodeAt(i) === (c === 0x7b ? 0x7d : 0x5d)) i++;
        else {
          stack.push(c);
          if (c === 0x7b) {
            err = scanKey();
            if (err !== null) return err;
          }
          continue;
        }
      } else if (text.startsWith("true", i)) i += 4;
      else if (text.startsWith("false", i)) i += 5;
      else if (text.startsWith("null", i)) i += 4;
      else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) err = scanNumber();
      else err = at("expected value", i);
      if (err !== null) return err;
      needValue = false;
      continue;
    }
    // After a complete value: close its container or go on to the next element.
    const top = stack.length === 0 ? 0 : stack[stack.length - 1];
    if (top === 0) return i < n ? at("trailing characters", i) : null;
    if (i >= n) return at("", n);
    const c = text.charCodeAt(i);
    if (c === (top === 0x7b ? 0x7d : 0x5d)) {
      stack.pop();
      i++;
    } else if (c === 0x2c) {
      i++;
      if (top === 0x7b) {
        const err = scanKey();
        if (err !== null) return err;
      }
      needValue = true;
    } else {
      return at(top === 0x7b ? "expected `,` or `}`" : "expected `,` or `]`", i);
    }
  }
}

/** Writes a number as JSON; a non-finite number becomes `null`, as serde does. */
function num(x: number): string {
  return Number.isFinite(x) ? String(x) : "null";
}

function vec(v: ArrayLike<number>): string {
  const n = v.length;
  if (n === 0) return "[]";
  let s = `[${num(v[0])}`;
  for (let i = 1; i < n; i++) s += `,${num(v[i])}`;
  return `${s}]`;
}

/** The successful Run reply: the keys in exactly PROTOCOL.md's order. */
export function serializeStatus(status: SolverStatus): string {
  return (
    `{"exit_status":"${status.exitStatus}"` +
    `,"num_outer_iterations":${num(status.numOuterIterations)}` +
    `,"num_inner_iterations":${num(status.numInnerIterations)}` +
    `,"last_problem_norm_fpr":${num(status.lastProblemNormFpr)}` +
    `,"delta_y_norm_over_c":${num(status.deltaYNormOverC)}` +
    `,"f2_norm":${num(status.f2Norm)}` +
    `,"solve_time_ms":${num(status.solveTimeMs)}` +
    `,"penalty":${num(status.penalty)}` +
    `,"solution":${vec(status.solution)}` +
    `,"lagrange_multipliers":${vec(status.lagrangeMultipliers)}` +
    `,"cost":${num(status.cost)}}`
  );
}

/** An error reply: `{"type":"Error","code":..,"message":..}`. */
export function serializeError(code: number, message: string): string {
  return `{"type":"Error","code":${code},"message":${JSON.stringify(message)}}`;
}

/** The reply to `{"Ping": id}`. */
export function serializePong(id: number): string {
  return `{"Pong":${id}}`;
}
