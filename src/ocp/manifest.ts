/**
 * The JSON manifest of a built OCP optimizer folder: enough for a client in
 * any language to pack named parameters for the plain TCP protocol and to
 * read inputs and states out of a solution.
 */
import type { OcpLayout, Slice } from "./layout.js";
import type { ParameterBlock } from "./parameters.js";

/** The manifest's file name inside the optimizer folder. */
export const MANIFEST_FILE = "optimizer_manifest.json";
/** The single-shooting rollout's file name inside the optimizer folder. */
export const ROLLOUT_FILE = "rollout.js";

/** The manifest, with opengen's key names where it has them. */
export interface OcpManifest {
  readonly manifest_version: 1;
  readonly optimizer_name: string;
  readonly shooting: OcpLayout["shooting"];
  readonly nx: number;
  readonly nu: number;
  readonly horizon: number;
  /** Length of the decision vector (the solution). */
  readonly decision_dimension: number;
  /** Length of the packed parameter vector. */
  readonly parameter_dimension: number;
  /** Number of ALM constraints (length of the multipliers). */
  readonly n1: number;
  /** Number of penalty constraints. */
  readonly n2: number;
  /** Named blocks of the parameter vector in order; `default` is null when required. */
  readonly parameters: readonly ParameterBlock[];
  /** [start, end) of u_t in the solution, t = 0..N-1. */
  readonly input_slices: readonly Slice[];
  /** [start, end) of x_t in the solution, t = 1..N (multiple shooting; else empty). */
  readonly state_slices: readonly Slice[];
  /**
   * Single shooting: a standalone ES module exporting `rollout(u, p, out)`,
   * which writes x_1..x_N (N nx numbers) into `out`; x_0 is the parameter x0.
   */
  readonly rollout_file: string | null;
  /** The TCP server's default address. */
  readonly tcp: { readonly ip: string; readonly port: number };
}

/** The manifest of a layout. */
export function manifestOf(
  layout: OcpLayout,
  name: string,
  sizes: { n1: number; n2: number },
  tcp: { ip: string; port: number },
): OcpManifest {
  const last = layout.parameters[layout.parameters.length - 1];
  return {
    manifest_version: 1,
    optimizer_name: name,
    shooting: layout.shooting,
    nx: layout.nx,
    nu: layout.nu,
    horizon: layout.horizon,
    decision_dimension: layout.decisionDimension,
    parameter_dimension: last === undefined ? 0 : last.offset + last.size,
    n1: sizes.n1,
    n2: sizes.n2,
    parameters: layout.parameters,
    input_slices: layout.inputSlices,
    state_slices: layout.stateSlices,
    rollout_file: layout.shooting === "single" ? ROLLOUT_FILE : null,
    tcp: { ip: tcp.ip, port: tcp.port },
  };
}

function bad(what: string): never {
  throw new Error(`OCP manifest: ${what}`);
}

function count(m: Record<string, unknown>, key: string): number {
  const v = m[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    bad(`"${key}" must be a nonnegative integer`);
  }
  return v;
}

function slices(m: Record<string, unknown>, key: string, n: number, length: number): Slice[] {
  const v = m[key];
  const ok =
    Array.isArray(v) &&
    v.length === n &&
    v.every(
      (s) =>
        Array.isArray(s) &&
        s.length === 2 &&
        Number.isInteger(s[0]) &&
        Number.isInteger(s[1]) &&
        0 <= s[0] &&
        s[0] <= s[1] &&
        s[1] <= length,
    );
  if (!ok) bad(`"${key}" must be ${n} [start, end) pairs within the decision vector`);
  return v as Slice[];
}

/** Reads and checks a parsed manifest. */
export function parseManifest(json: unknown): { manifest: OcpManifest; layout: OcpLayout } {
  if (json === null || typeof json !== "object") bad("not a JSON object");
  const m = json as Record<string, unknown>;
  if (m.manifest_version !== 1) bad(`unsupported manifest_version ${String(m.manifest_version)}`);
  if (typeof m.optimizer_name !== "string") bad('"optimizer_name" must be a string');
  if (m.shooting !== "single" && m.shooting !== "multiple") {
    bad('"shooting" must be "single" or "multiple"');
  }
  const nx = count(m, "nx");
  const nu = count(m, "nu");
  const horizon = count(m, "horizon");
  const decisionDimension = count(m, "decision_dimension");
  count(m, "n1");
  count(m, "n2");
  const params = m.parameters;
  if (!Array.isArray(params)) bad('"parameters" must be an array');
  let offset = 0;
  for (const b of params as ParameterBlock[]) {
    const d = b?.default;
    const ok =
      typeof b?.name === "string" &&
      Number.isInteger(b.size) &&
      b.size > 0 &&
      b.offset === offset &&
      (d === null || (Array.isArray(d) && d.length === b.size && d.every(Number.isFinite)));
    if (!ok) bad(`parameter block ${JSON.stringify(b)} is malformed`);
    offset += b.size;
  }
  if (count(m, "parameter_dimension") !== offset)
    bad('"parameter_dimension" is not the sum of the sizes');
  const layout: OcpLayout = {
    shooting: m.shooting,
    nx,
    nu,
    horizon,
    decisionDimension,
    parameters: params as ParameterBlock[],
    inputSlices: slices(m, "input_slices", horizon, decisionDimension),
    stateSlices: slices(
      m,
      "state_slices",
      m.shooting === "multiple" ? horizon : 0,
      decisionDimension,
    ),
  };
  const tcp = m.tcp as { ip?: unknown; port?: unknown } | undefined;
  if (typeof tcp?.ip !== "string" || typeof tcp.port !== "number")
    bad('"tcp" must be { ip, port }');
  if (m.shooting === "single" && typeof m.rollout_file !== "string") {
    bad('single shooting needs "rollout_file"');
  }
  return { manifest: m as unknown as OcpManifest, layout };
}
