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
import { type Expr, recordOf } from "./expr.js";

/** Reading an input entry, loading or storing a scratch entry, or writing an output. */
const TRANSFER = 2;

/** The estimated size of a function computing `operations` and writing `outputs`, unsplit. */
export function functionSize(operations: readonly Expr[], outputs: readonly Expr[]): number {
  const symbols = new Set<Expr>();
  let size = TRANSFER * outputs.length;
  for (const e of operations) {
    size += recordOf(e).size(e);
    for (const a of e.args) if (a.op === "sym") symbols.add(a);
  }
  for (const e of outputs) if (e.op === "sym") symbols.add(e);
  return size + TRANSFER * symbols.size;
}

/**
 * Cuts `operations` (children first) into consecutive parts, each of
 * estimated size at most `limit` (a single statement larger than the limit
 * gets a part of its own). A part's size counts its statements, the input
 * entries it reads, the values of earlier parts it loads, the values it
 * stores for later parts and the outputs it writes.
 */
export function partition(
  operations: readonly Expr[],
  outputs: readonly Expr[],
  limit: number,
): Expr[][] {
  const position = new Map<Expr, number>();
  operations.forEach((e, i) => {
    position.set(e, i);
  });
  // Position of the last operation using each operation's value.
  const lastUse = new Int32Array(operations.length).fill(-1);
  operations.forEach((e, i) => {
    for (const a of e.args) {
      const j = position.get(a);
      if (j !== undefined) lastUse[j] = i;
    }
  });
  const writes = new Int32Array(operations.length);
  for (const e of outputs) {
    const j = position.get(e);
    if (j !== undefined) writes[j]++;
  }

  const parts: Expr[][] = [];
  let part: Expr[] = [];
  let start = 0;
  let size = 0;
  let stores = 0;
  let available = new Set<Expr>();
  let expiring = new Map<number, number>();
  for (let i = 0; i < operations.length; i++) {
    const e = operations[i];
    // Values of this part consumed for the last time here need no store any more.
    const released = expiring.get(i) ?? 0;
    let added = recordOf(e).size(e) + TRANSFER * writes[i];
    const fresh = e.args.filter((a, k) => {
      if (a.op === "const" || available.has(a) || e.args.indexOf(a) !== k) return false;
      const j = position.get(a);
      return j === undefined || j < start;
    });
    added += TRANSFER * fresh.length;
    const stored = lastUse[i] > i ? 1 : 0;
    const total = size + added + TRANSFER * (stores - released + stored);
    if (total > limit && part.length > 0) {
      parts.push(part);
      part = [];
      start = i;
      size = 0;
      stores = 0;
      available = new Set<Expr>();
      expiring = new Map<number, number>();
      i--;
      continue;
    }
    part.push(e);
    size += added;
    stores += stored - released;
    for (const a of fresh) available.add(a);
    if (stored === 1) expiring.set(lastUse[i], (expiring.get(lastUse[i]) ?? 0) + 1);
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
