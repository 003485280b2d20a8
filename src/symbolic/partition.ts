/**
 * Splitting of large generated functions. V8 never optimizes a function whose
 * bytecode exceeds a fixed size (60 KB), so a long straight-line function is
 * cut into consecutive parts whose estimated size stays under a limit.
 *
 * Sizes are in units of one arithmetic statement (`const t3 = t1 * t2;`,
 * about 14 bytes of bytecode in a large function, where register operands are
 * wide); each operation's record weighs its statement by its measured
 * bytecode relative to it.
 */
import { recordOf } from "./expr.js";
import type { IndexedGraph } from "./graph.js";

/** Reading an input entry, loading or storing a scratch entry, or writing an output. */
const TRANSFER = 2;

/**
 * The statements of a function computing some outputs: its operations (the
 * nodes of its graph that are not leaves) by their index among them, with
 * what splitting and emitting need to know about each, in arrays.
 */
export interface Program {
  /** The nodes reachable from the outputs. */
  readonly graph: IndexedGraph;
  /** The positions in the graph of the outputs. */
  readonly outputs: Int32Array;
  /** The positions in the graph of the operations, children first. */
  readonly operations: Int32Array;
  /** The index among the operations of each position of the graph; -1 for a leaf. */
  readonly operationIndex: Int32Array;
  /** The estimated size of each operation's statement. */
  readonly sizes: Float64Array;
  /** The index of the last operation using each operation's value; -1 for none. */
  readonly lastUse: Int32Array;
  /** The number of symbols in the graph. */
  readonly symbols: number;
}

/** The program computing the nodes at positions `outputs` of `graph`. */
export function program(graph: IndexedGraph, outputs: Int32Array): Program {
  const { order, children } = graph;
  const operationIndex = new Int32Array(order.length);
  let count = 0;
  let symbols = 0;
  for (let at = 0; at < order.length; at++) {
    const op = order[at].op;
    operationIndex[at] = op === "sym" || op === "const" ? -1 : count++;
    if (op === "sym") symbols++;
  }
  const operations = new Int32Array(count);
  const sizes = new Float64Array(count);
  const lastUse = new Int32Array(count).fill(-1);
  for (let at = 0; at < order.length; at++) {
    const i = operationIndex[at];
    if (i < 0) continue;
    const e = order[at];
    operations[i] = at;
    sizes[i] = recordOf(e).size(e);
    for (let k = 0; k < e.args.length; k++) {
      const j = operationIndex[children[3 * at + k]];
      if (j >= 0) lastUse[j] = i;
    }
  }
  return { graph, outputs, operations, operationIndex, sizes, lastUse, symbols };
}

/** The estimated size of the function computing `p`, unsplit. */
export function functionSize(p: Program): number {
  // Every symbol of the graph is an output or an operation's argument, read once.
  let size = TRANSFER * (p.outputs.length + p.symbols);
  for (const s of p.sizes) size += s;
  return size;
}

/**
 * Cuts the operations of `p` into consecutive parts, each of estimated size
 * at most `limit` (a single statement larger than the limit gets a part of
 * its own). A part's size counts its statements, the input entries it reads,
 * the values of earlier parts it loads, the values it stores for later parts
 * and the outputs it writes. Part j holds the operations of indices
 * `bounds[j]` to `bounds[j + 1] - 1`; there are `bounds.length - 1` parts.
 */
export function partition(p: Program, limit: number): number[] {
  const { order, children } = p.graph;
  const { operations, operationIndex, lastUse } = p;
  const m = operations.length;
  const writes = new Int32Array(m);
  for (const at of p.outputs) {
    const j = operationIndex[at];
    if (j >= 0) writes[j]++;
  }
  const bounds = [0];
  // Per-part state in arrays stamped with the part's number, so that a new
  // part starts without clearing them.
  let part = 1;
  const available = new Int32Array(order.length);
  const expiringPart = new Int32Array(m);
  const expiring = new Int32Array(m);
  const fresh = [0, 0, 0];
  let start = 0;
  let size = 0;
  let stores = 0;
  for (let i = 0; i < m; i++) {
    const at = operations[i];
    const arity = order[at].args.length;
    // Values of this part consumed for the last time here need no store any more.
    const released = expiringPart[i] === part ? expiring[i] : 0;
    let added = p.sizes[i] + TRANSFER * writes[i];
    let freshCount = 0;
    for (let k = 0; k < arity; k++) {
      const a = children[3 * at + k];
      if (order[a].op === "const" || available[a] === part || operationIndex[a] >= start) continue;
      let repeated = false;
      for (let h = 0; h < k; h++) repeated ||= children[3 * at + h] === a;
      if (!repeated) fresh[freshCount++] = a;
    }
    added += TRANSFER * freshCount;
    const stored = lastUse[i] > i ? 1 : 0;
    const total = size + added + TRANSFER * (stores - released + stored);
    if (total > limit && i > start) {
      bounds.push(i);
      part++;
      start = i;
      size = 0;
      stores = 0;
      i--;
      continue;
    }
    size += added;
    stores += stored - released;
    for (let k = 0; k < freshCount; k++) available[fresh[k]] = part;
    if (stored === 1) {
      const l = lastUse[i];
      if (expiringPart[l] !== part) {
        expiringPart[l] = part;
        expiring[l] = 0;
      }
      expiring[l]++;
    }
  }
  if (m > 0) bounds.push(m);
  return bounds;
}
