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
import { type Expr, formatNumber, type Scalar, toExpr } from "./expr.js";
import { topologicalOrder } from "./graph.js";
import { functionSize, partition } from "./partition.js";

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

const CALLS: Partial<Record<string, string>> = {
  sin: "Math.sin",
  cos: "Math.cos",
  tan: "Math.tan",
  asin: "Math.asin",
  acos: "Math.acos",
  atan: "Math.atan",
  sinh: "Math.sinh",
  cosh: "Math.cosh",
  tanh: "Math.tanh",
  exp: "Math.exp",
  log: "Math.log",
  sqrt: "Math.sqrt",
  abs: "Math.abs",
  sign: "Math.sign",
  atan2: "Math.atan2",
  fmin: "Math.min",
  fmax: "Math.max",
  pow: "Math.pow",
};

const INFIX: Partial<Record<string, string>> = {
  add: "+",
  sub: "-",
  mul: "*",
  div: "/",
};

const COMPARISONS: Partial<Record<string, string>> = {
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
  eq: "===",
  ne: "!==",
};

/** A spec checked and laid out: names of arguments, symbols and temporaries. */
interface Layout {
  name: string;
  scalar: boolean;
  params: string[];
  outputs: Expr[];
  /** The operations (non-leaf nodes), children first. */
  operations: Expr[];
  /** Local variable of each symbol and each operation. */
  local: Map<Expr, string>;
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
  const lines: string[] = [];
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
      : `${l.name}(${[...params, `out[${l.outputs.length}]`].join(", ")})`;
    lines.push(`//   ${signature}, ${l.operations.length} operations`);
  });
  const exportKeyword = exported ? "export " : "";
  for (const l of layouts) {
    lines.push("");
    if (functionSize(l.operations, l.outputs) <= limit) {
      emitSingle(l, exportKeyword, lines);
    } else {
      emitSplit(l, exportKeyword, partition(l.operations, l.outputs, limit), moduleNames, lines);
    }
  }
  return { code: `${lines.join("\n")}\n`, names };
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
  const outputs = spec.outputs.map(toExpr);
  const order = topologicalOrder(outputs);
  const foreign = order.filter((e) => e.op === "sym" && !source.has(e));
  if (foreign.length > 0) {
    throw new Error(
      `${where} uses symbol(s) not among its inputs: ${foreign.map((s) => s.name).join(", ")}`,
    );
  }
  const operations = order.filter((e) => e.op !== "sym" && e.op !== "const");
  operations.forEach((e, i) => {
    local.set(e, `t${i}`);
  });
  return { name: spec.name, scalar, params, outputs, operations, local, source };
}

function operand(l: Layout, e: Expr, wrapNegative: boolean): string {
  if (e.op === "const") {
    const text = formatNumber(e.value);
    return wrapNegative && text.startsWith("-") ? `(${text})` : text;
  }
  return l.local.get(e) as string;
}

function rhs(l: Layout, e: Expr): string {
  const [a, b, c] = e.args;
  const infix = INFIX[e.op];
  if (infix !== undefined) return `${operand(l, a, true)} ${infix} ${operand(l, b, true)}`;
  const comparison = COMPARISONS[e.op];
  if (comparison !== undefined) {
    return `${operand(l, a, true)} ${comparison} ${operand(l, b, true)} ? 1 : 0`;
  }
  if (e.op === "neg") return `-${operand(l, a, true)}`;
  if (e.op === "ifElse") {
    return `${operand(l, a, true)} !== 0 ? ${operand(l, b, true)} : ${operand(l, c, true)}`;
  }
  if (e.op === "pow" && b.op === "const" && b.value === 2) {
    const x = operand(l, a, true);
    return `${x} * ${x}`;
  }
  const call = CALLS[e.op] as string;
  return `${call}(${e.args.map((x) => operand(l, x, false)).join(", ")})`;
}

/** `const u_0 = u[0];` for the symbols among `nodes` and their children, in first-seen order. */
function symbolReads(l: Layout, nodes: readonly Expr[], lines: string[]): void {
  const seen = new Set<Expr>();
  const read = (s: Expr): void => {
    if (s.op !== "sym" || seen.has(s)) return;
    seen.add(s);
    lines.push(`  const ${l.local.get(s)} = ${l.source.get(s)};`);
  };
  for (const e of nodes) {
    read(e);
    for (const a of e.args) read(a);
  }
}

function signature(l: Layout, withOut: boolean): string {
  return (withOut && !l.scalar ? [...l.params, "out"] : l.params).join(", ");
}

function emitSingle(l: Layout, exportKeyword: string, lines: string[]): void {
  lines.push(`${exportKeyword}function ${l.name}(${signature(l, true)}) {`);
  symbolReads(l, [...l.operations, ...l.outputs], lines);
  for (const e of l.operations) lines.push(`  const ${l.local.get(e)} = ${rhs(l, e)};`);
  if (l.scalar) {
    lines.push(`  return ${operand(l, l.outputs[0], false)};`);
  } else {
    l.outputs.forEach((e, i) => {
      lines.push(`  out[${i}] = ${operand(l, e, false)};`);
    });
  }
  lines.push("}");
}

function emitSplit(
  l: Layout,
  exportKeyword: string,
  parts: readonly Expr[][],
  moduleNames: Set<string>,
  lines: string[],
): void {
  const scratch = `${l.name}_scratch`;
  const partNames = parts.map((_, j) => `${l.name}_part${j}`);
  for (const helper of [scratch, ...partNames]) {
    if (moduleNames.has(helper)) {
      throw new Error(`codegen: function name "${helper}" clashes with a generated helper`);
    }
    moduleNames.add(helper);
  }
  const partOf = new Map<Expr, number>();
  parts.forEach((part, j) => {
    for (const e of part) partOf.set(e, j);
  });
  // Values crossing from one part to a later one get a scratch slot, in order of production.
  const loads: Expr[][] = parts.map(() => []);
  const crossing = new Set<Expr>();
  parts.forEach((part, j) => {
    const loaded = new Set<Expr>();
    for (const e of part) {
      for (const a of e.args) {
        const from = partOf.get(a);
        if (from !== undefined && from < j && !loaded.has(a)) {
          loaded.add(a);
          loads[j].push(a);
          crossing.add(a);
        }
      }
    }
  });
  const slot = new Map<Expr, number>();
  for (const e of l.operations) if (crossing.has(e)) slot.set(e, slot.size);
  for (const list of loads) list.sort((x, y) => (slot.get(x) as number) - (slot.get(y) as number));
  // Outputs are written by the part computing them; leaf outputs by the main function.
  const writes: number[][] = parts.map(() => []);
  const leafWrites: number[] = [];
  l.outputs.forEach((e, i) => {
    const j = partOf.get(e);
    if (j === undefined) leafWrites.push(i);
    else writes[j].push(i);
  });

  lines.push(`const ${scratch} = new Float64Array(${slot.size});`);
  parts.forEach((part, j) => {
    const last = j === parts.length - 1;
    lines.push("");
    lines.push(`function ${partNames[j]}(${signature(l, true)}) {`);
    symbolReads(l, [...part, ...writes[j].map((i) => l.outputs[i])], lines);
    for (const e of loads[j]) lines.push(`  const ${l.local.get(e)} = ${scratch}[${slot.get(e)}];`);
    for (const e of part) lines.push(`  const ${l.local.get(e)} = ${rhs(l, e)};`);
    for (const e of part) {
      const s = slot.get(e);
      if (s !== undefined) lines.push(`  ${scratch}[${s}] = ${l.local.get(e)};`);
    }
    if (l.scalar) {
      if (last) lines.push(`  return ${operand(l, l.outputs[0], false)};`);
    } else {
      for (const i of writes[j]) lines.push(`  out[${i}] = ${operand(l, l.outputs[i], false)};`);
    }
    lines.push("}");
  });
  lines.push("");
  lines.push(`${exportKeyword}function ${l.name}(${signature(l, true)}) {`);
  partNames.forEach((p, j) => {
    const call = `${p}(${signature(l, true)});`;
    lines.push(l.scalar && j === parts.length - 1 ? `  return ${call}` : `  ${call}`);
  });
  for (const i of leafWrites) {
    const e = l.outputs[i];
    lines.push(`  out[${i}] = ${e.op === "sym" ? l.source.get(e) : operand(l, e, false)};`);
  }
  lines.push("}");
}
