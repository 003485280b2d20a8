/**
 * JavaScript code generation: straight-line functions over Float64Array
 * arguments, one `const` per node of the (shared) expression graph.
 *
 * V8 does not optimize very large functions, so a function larger than
 * `maxFunctionSize` is split into helper functions, each under the limit,
 * that pass intermediate values through a module-level scratch Float64Array
 * allocated once when the module is evaluated. Generated functions allocate
 * nothing per call.
 */
import { type Expr, formatNumber, recordOf, type Scalar, toExpr } from "./expr.js";
import { indexedGraph } from "./graph.js";
import { functionSize, type Program, partition, program } from "./partition.js";

/** One function to generate. */
export interface FunctionSpec {
  /** The function's name, a JavaScript identifier. */
  name: string;
  /** Argument k is a Float64Array whose entry i is the value of the symbol `inputs[k][i]`. */
  inputs: readonly (readonly Expr[])[];
  /** Written into the last argument `out: Float64Array`, `out[i] = outputs[i]`. */
  outputs: readonly Scalar[];
  /** When true, `outputs` has length 1, there is no `out` argument, and the function returns the value. */
  scalar?: boolean;
}

/** Options of {@link generateModule} and {@link compileFunctions}. */
export interface CodegenOptions {
  /**
   * Largest estimated size of one generated function; larger ones are split
   * (default {@link DEFAULT_MAX_FUNCTION_SIZE}). The unit is one arithmetic
   * statement; a Math call counts 2 or 3, reading or passing a value 2.
   */
  maxFunctionSize?: number;
}

/**
 * Default of {@link CodegenOptions.maxFunctionSize}: 1,000 to 2,000
 * operations, about 28 KB of bytecode, well below the 60 KB beyond which V8
 * does not optimize a function.
 */
export const DEFAULT_MAX_FUNCTION_SIZE = 2000;

/** A generated function: `(...inputs, out?) => number | undefined`. */
export type GeneratedFunction = (...args: Float64Array[]) => number | undefined;

/**
 * A standalone ES module (no imports) exporting one function per spec:
 * `export function name(in0, in1, ..., out)`, or returning the number when
 * `scalar`. The text is deterministic and starts with a comment made of
 * `header`, a do-not-edit notice and the list of functions. Throws when an
 * output uses a symbol that is not among the spec's inputs, naming it.
 */
export function generateModule(
  specs: readonly FunctionSpec[],
  header: string,
  options: CodegenOptions = {},
): string {
  return emitModule(specs, header, options, true).code;
}

/**
 * Compiles the code {@link generateModule} would emit in-process
 * (synchronously, with `new Function`) and returns its functions by name.
 * They behave exactly as the module's.
 */
export function compileFunctions(
  specs: readonly FunctionSpec[],
  options: CodegenOptions = {},
): Record<string, GeneratedFunction> {
  const { code, names } = emitModule(specs, "", options, false);
  const factory = new Function(`"use strict";\n${code}\nreturn { ${names.join(", ")} };`);
  return factory() as Record<string, GeneratedFunction>;
}

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if import in instanceof new null return super switch this throw " +
    "true try typeof var void while with yield let static implements interface package private " +
    "protected public await arguments eval undefined Infinity NaN Math Float64Array out"
  ).split(" "),
);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Lines of code, joined a few hundred at a time as they come: a module has
 * tens of thousands of lines, and as separate strings they would all survive
 * young-generation collections until the end.
 */
class Lines {
  private readonly chunks: string[] = [];
  private readonly pending: string[] = [];

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length === 512) this.flush();
  }

  /** The lines so far, separated by newlines. */
  text(): string {
    this.flush();
    return this.chunks.join("\n");
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(this.pending.join("\n"));
    this.pending.length = 0;
  }
}

/** A spec checked and laid out: names of arguments, its program and the text of each node. */
interface Layout {
  name: string;
  scalar: boolean;
  params: string[];
  program: Program;
  /** The text of each node of the graph as an operand: a literal, a symbol's or operation's local. */
  text: string[];
  /** How each symbol is read: `u[3]`. */
  source: Map<Expr, string>;
}

function emitModule(
  specs: readonly FunctionSpec[],
  header: string,
  options: CodegenOptions,
  exported: boolean,
): { code: string; names: string[] } {
  const limit = options.maxFunctionSize ?? DEFAULT_MAX_FUNCTION_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`codegen: maxFunctionSize must be a positive integer, got ${limit}`);
  }
  const names = specs.map((s) => s.name);
  const moduleNames = new Set<string>();
  for (const name of names) {
    if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
      throw new Error(`codegen: function name "${name}" is not a usable JavaScript identifier`);
    }
    if (moduleNames.has(name)) throw new Error(`codegen: function name "${name}" is repeated`);
    moduleNames.add(name);
  }
  const layouts = specs.map((s) => layout(s, moduleNames));
  const lines = new Lines();
  if (header !== "") {
    for (const line of header.split("\n")) lines.push(`// ${line}`.trimEnd());
    lines.push("//");
  }
  lines.push("// Generated by open-engine from symbolic expressions. Do not edit.");
  lines.push("// Straight-line code; the functions allocate nothing per call.");
  lines.push("// Functions:");
  layouts.forEach((l, index) => {
    const params = l.params.map((p, k) => `${p}[${specs[index].inputs[k].length}]`);
    const signature = l.scalar
      ? `${l.name}(${params.join(", ")}): number`
      : `${l.name}(${[...params, `out[${l.program.outputs.length}]`].join(", ")})`;
    lines.push(`//   ${signature}, ${l.program.operations.length} operations`);
  });
  const exportKeyword = exported ? "export " : "";
  for (const l of layouts) {
    lines.push("");
    if (functionSize(l.program) <= limit) {
      emitSingle(l, exportKeyword, lines);
    } else {
      emitSplit(l, exportKeyword, partition(l.program, limit), moduleNames, lines);
    }
  }
  return { code: `${lines.text()}\n`, names };
}

function symbolBase(s: Expr): string {
  const bracket = s.name.lastIndexOf("[");
  return bracket > 0 ? s.name.slice(0, bracket) : s.name;
}

function layout(spec: FunctionSpec, moduleNames: ReadonlySet<string>): Layout {
  const where = `codegen: function "${spec.name}"`;
  const scalar = spec.scalar === true;
  if (scalar && spec.outputs.length !== 1) {
    throw new Error(`${where} is scalar but has ${spec.outputs.length} outputs`);
  }
  const params: string[] = [];
  spec.inputs.forEach((input, k) => {
    const base = input.length > 0 ? symbolBase(input[0]) : "";
    const usable =
      /^[A-Za-z][A-Za-z0-9]*$/.test(base) &&
      !/^(t|in)\d+$/.test(base) &&
      !RESERVED.has(base) &&
      !moduleNames.has(base) &&
      input.every((s) => symbolBase(s) === base);
    params.push(usable ? base : `in${k}`);
  });
  // A repeated name falls back to the positional one.
  params.forEach((p, k) => {
    if (params.indexOf(p) !== k) params[k] = `in${k}`;
  });
  const source = new Map<Expr, string>();
  const local = new Map<Expr, string>();
  spec.inputs.forEach((input, k) => {
    input.forEach((s, i) => {
      if (s.op !== "sym") throw new Error(`${where}: inputs[${k}][${i}] is not a symbol: ${s}`);
      if (!source.has(s)) {
        source.set(s, `${params[k]}[${i}]`);
        local.set(s, `${params[k]}_${i}`);
      }
    });
  });
  const graph = indexedGraph(spec.outputs);
  const outputs = new Int32Array(spec.outputs.length);
  spec.outputs.forEach((e, i) => {
    outputs[i] = graph.position.get(toExpr(e)) as number;
  });
  const text: string[] = new Array(graph.order.length);
  const foreign: string[] = [];
  let operations = 0;
  graph.order.forEach((e, at) => {
    if (e.op === "const") {
      text[at] = formatNumber(e.value);
    } else if (e.op !== "sym") {
      text[at] = `t${operations++}`;
    } else {
      const name = local.get(e);
      if (name === undefined) foreign.push(e.name);
      else text[at] = name;
    }
  });
  if (foreign.length > 0) {
    throw new Error(`${where} uses symbol(s) not among its inputs: ${foreign.join(", ")}`);
  }
  return { name: spec.name, scalar, params, program: program(graph, outputs), text, source };
}

/** The argument texts of operations, one array per arity, reused. */
const ARGUMENT_TEXTS = [[], [""], ["", ""], ["", "", ""]];

/** The right-hand side of the statement of the operation at position `at`. */
function rhs(l: Layout, at: number): string {
  const e = l.program.graph.order[at];
  const children = l.program.graph.children;
  const x = ARGUMENT_TEXTS[e.args.length];
  for (let k = 0; k < x.length; k++) x[k] = l.text[children[3 * at + k]];
  return recordOf(e).emit(x, e);
}

/**
 * `const u_0 = u[0];` for the symbols among the arguments of the operations
 * of indices `from` to `to - 1`, in first-seen order, not yet marked `mark`
 * in `read` (and marks them).
 */
function symbolReads(
  l: Layout,
  from: number,
  to: number,
  read: Int32Array,
  mark: number,
  lines: Lines,
): void {
  const { graph, operations } = l.program;
  const { order, children } = graph;
  for (let i = from; i < to; i++) {
    const at = operations[i];
    const arity = order[at].args.length;
    for (let k = 0; k < arity; k++) {
      const a = children[3 * at + k];
      if (order[a].op === "sym" && read[a] !== mark) {
        read[a] = mark;
        lines.push(`  const ${l.text[a]} = ${l.source.get(order[a])};`);
      }
    }
  }
}

function signature(l: Layout, withOut: boolean): string {
  return (withOut && !l.scalar ? [...l.params, "out"] : l.params).join(", ");
}

function emitSingle(l: Layout, exportKeyword: string, lines: Lines): void {
  const { graph, operations, outputs } = l.program;
  lines.push(`${exportKeyword}function ${l.name}(${signature(l, true)}) {`);
  const read = new Int32Array(graph.order.length);
  symbolReads(l, 0, operations.length, read, 1, lines);
  for (const at of outputs) {
    const e = graph.order[at];
    if (e.op === "sym" && read[at] !== 1) {
      read[at] = 1;
      lines.push(`  const ${l.text[at]} = ${l.source.get(e)};`);
    }
  }
  for (const at of operations) lines.push(`  const ${l.text[at]} = ${rhs(l, at)};`);
  if (l.scalar) {
    lines.push(`  return ${l.text[outputs[0]]};`);
  } else {
    outputs.forEach((at, i) => {
      lines.push(`  out[${i}] = ${l.text[at]};`);
    });
  }
  lines.push("}");
}

function emitSplit(
  l: Layout,
  exportKeyword: string,
  bounds: readonly number[],
  moduleNames: Set<string>,
  lines: Lines,
): void {
  const { graph, operations, operationIndex, outputs, lastUse } = l.program;
  const { order, children } = graph;
  const parts = bounds.length - 1;
  const scratch = `${l.name}_scratch`;
  const partNames: string[] = [];
  for (let j = 0; j < parts; j++) partNames.push(`${l.name}_part${j}`);
  for (const helper of [scratch, ...partNames]) {
    if (moduleNames.has(helper)) {
      throw new Error(`codegen: function name "${helper}" clashes with a generated helper`);
    }
    moduleNames.add(helper);
  }
  const partOf = new Int32Array(operations.length);
  for (let j = 0; j < parts; j++) partOf.fill(j, bounds[j], bounds[j + 1]);
  // Values used by a later part than their own get a scratch slot, in order of production.
  const slot = new Int32Array(operations.length).fill(-1);
  let slots = 0;
  for (let i = 0; i < operations.length; i++) {
    if (lastUse[i] >= bounds[partOf[i] + 1]) slot[i] = slots++;
  }
  // Outputs are written by the part computing them; leaf outputs by the main function.
  const writes: number[][] = [];
  for (let j = 0; j < parts; j++) writes.push([]);
  const leafWrites: number[] = [];
  outputs.forEach((at, i) => {
    const j = operationIndex[at];
    if (j < 0) leafWrites.push(i);
    else writes[partOf[j]].push(i);
  });

  lines.push(`const ${scratch} = new Float64Array(${slots});`);
  const read = new Int32Array(order.length);
  const loaded = new Int32Array(operations.length);
  const loads: number[] = [];
  for (let j = 0; j < parts; j++) {
    const from = bounds[j];
    const to = bounds[j + 1];
    lines.push("");
    lines.push(`function ${partNames[j]}(${signature(l, true)}) {`);
    symbolReads(l, from, to, read, j + 1, lines);
    // The earlier parts' values this part uses, in slot order.
    loads.length = 0;
    for (let i = from; i < to; i++) {
      const at = operations[i];
      for (let k = 0; k < order[at].args.length; k++) {
        const a = operationIndex[children[3 * at + k]];
        if (a >= 0 && a < from && loaded[a] !== j + 1) {
          loaded[a] = j + 1;
          loads.push(a);
        }
      }
    }
    loads.sort((x, y) => x - y);
    for (const i of loads) lines.push(`  const ${l.text[operations[i]]} = ${scratch}[${slot[i]}];`);
    for (let i = from; i < to; i++) {
      const at = operations[i];
      lines.push(`  const ${l.text[at]} = ${rhs(l, at)};`);
    }
    for (let i = from; i < to; i++) {
      if (slot[i] >= 0) lines.push(`  ${scratch}[${slot[i]}] = ${l.text[operations[i]]};`);
    }
    if (l.scalar) {
      if (j === parts - 1) lines.push(`  return ${l.text[outputs[0]]};`);
    } else {
      for (const i of writes[j]) lines.push(`  out[${i}] = ${l.text[outputs[i]]};`);
    }
    lines.push("}");
  }
  lines.push("");
  lines.push(`${exportKeyword}function ${l.name}(${signature(l, true)}) {`);
  const call = `(${signature(l, true)});`;
  partNames.forEach((p, j) => {
    lines.push(l.scalar && j === parts - 1 ? `  return ${p}${call}` : `  ${p}${call}`);
  });
  for (const i of leafWrites) {
    const e = order[outputs[i]];
    lines.push(`  out[${i}] = ${e.op === "sym" ? l.source.get(e) : l.text[outputs[i]]};`);
  }
  lines.push("}");
}
