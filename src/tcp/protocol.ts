/**
 * The TCP/JSON protocol as pure functions: request parsing with the
 * protocol's exact error codes and messages, every message the server sends,
 * and reply serialisation. No sockets here; framing is in framer.ts.
 */
import { ErrorCode, type SolverStatus } from "../solver/types.js";
import { describeSyntaxError } from "./jsonSyntax.js";

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

const utf8 = new TextDecoder("utf-8", { fatal: true });

function invalid(message: string): ParseResult {
  return { ok: false, code: ErrorCode.InvalidRequest, message: `invalid request: ${message}` };
}

/**
 * The messages of the server's own errors. Code 1000 says that the server did
 * not take the request, so nothing changed and it is safe to send again;
 * code 2000 says that a Run was taken and its solve did not give a result.
 */
export const serverMessages = {
  /** 1000: the request is over the size limit. */
  tooLarge: (maxBytes: number) =>
    `invalid request: request exceeds the size limit of ${maxBytes} bytes`,
  /** 1000: the request did not arrive within its deadline. */
  deadline: (timeoutMs: number) =>
    `invalid request: no complete request received within ${timeoutMs} ms of connecting`,
  /** 1000: every connection is busy with a request being answered. */
  tooManyConnections: (max: number) =>
    `invalid request: the server is at its limit of ${max} connections; try again later`,
  /** 1000: an unfinished request was closed to make room for a new connection. */
  evicted: (max: number) =>
    `invalid request: the server is at its limit of ${max} connections and this request was the oldest unfinished one; send it again, faster`,
  /** 1000: the Run queue is full. */
  queueFull: (max: number) =>
    `invalid request: the server is busy (${max} Runs already waiting); try again later`,
  /** 1000: the server is stopping and takes no new request. */
  stopping: () => "invalid request: the server is shutting down",
  /** 1000: Kill is disabled. */
  killRefused: () =>
    "invalid request: Kill is disabled on this server (it was started with --no-kill)",
  /** 2000: the watchdog stopped a solve that ran past its budget. */
  watchdog: (budgetMs: number) =>
    `problem solution failed: the solve ran past its time budget of ${budgetMs} ms (maxDurationMicros plus the watchdog margin); its worker was stopped and replaced`,
  /** 2000: the worker thread ended during the solve. */
  workerStopped: () => "problem solution failed: the solver worker stopped",
  /** 2000: no worker could be started again. */
  workerRestartFailed: (reason: string) =>
    `problem solution failed: the solver worker could not restart: ${reason}`,
  /** 2000: the server stopped before the solve ended. */
  shutDown: () =>
    "problem solution failed: the server shut down before the solve ended (shutdown grace period over)",
} as const;

/** Longest piece of a client's input that an error message repeats, in characters. */
export const MAX_ECHO_CHARS = 64;

/** `text` as a JSON string, cut to {@link MAX_ECHO_CHARS} characters with its full length noted. */
function echo(text: string): string {
  if (text.length <= MAX_ECHO_CHARS) return JSON.stringify(text);
  // Do not cut a surrogate pair in two.
  let cut = MAX_ECHO_CHARS;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${JSON.stringify(text.slice(0, cut))}... (${text.length} characters)`;
}

/** Requests longer than this (in characters) are checked for syntax errors before parsing. */
const CHECK_FIRST_CHARS = 4096;

/** Parses the bytes of one request into a {@link Request} or error 1000 with the protocol's message (docs/protocol.md). */
export function parseRequest(bytes: Uint8Array): ParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return invalid("request body is not valid UTF-8");
  }
  // A large request is checked first: the check allocates nothing, while JSON.parse would
  // build every value of a malformed one before failing at its end. A small one is parsed
  // at once, and checked only to word the error of one that fails.
  if (text.length > CHECK_FIRST_CHARS) {
    const syntaxError = describeSyntaxError(text);
    if (syntaxError !== null) return invalid(syntaxError);
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
      return invalid(`unknown request type ${echo(key)}, expected "Ping", "Run" or "Kill"`);
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

/** The successful Run reply: the keys in exactly OpEn's order (docs/protocol.md). */
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
