/**
 * Wiring generated functions and sets into the low-level problem of the
 * solver. Free of Node.js built-ins: the browser entry uses it too, and so
 * can a page that imports a built folder's `mappings.js` instead of
 * compiling generated code (see {@link generatedAlmProblem}).
 */
import type { Constraint } from "../sets/constraint.js";
import type {
  AlmProblem,
  CostFunction,
  JacobianTransposeProduct,
  MappingFunction,
} from "../solver/types.js";

/**
 * The generated functions of a problem (a built folder's `mappings.js` module
 * namespace has this shape). The F1 functions exist when n1 > 0, the F2 ones
 * when n2 > 0.
 */
export interface GeneratedMappings {
  readonly cost: CostFunction;
  readonly gradient: MappingFunction;
  readonly mappingF1?: MappingFunction;
  readonly jacobianF1Transpose?: JacobianTransposeProduct;
  readonly mappingF2?: MappingFunction;
  readonly jacobianF2Transpose?: JacobianTransposeProduct;
  /** f, F1 and F2 in one call (when n1 + n2 > 0; folders built before 0.3 lack it). */
  readonly costAndMappings?: MappingFunction;
  /** The gradient of the weighted sum of f, F1 and F2 (with costAndMappings). */
  readonly lagrangianGradient?: JacobianTransposeProduct;
}

/** The dimensions of a problem. */
export interface ProblemDimensions {
  readonly nu: number;
  readonly np: number;
  readonly n1: number;
  readonly n2: number;
}

/** The sets of a problem, as objects. */
export interface ProblemSets {
  readonly constraints?: Constraint;
  readonly almSetC?: Constraint;
  readonly almSetY?: Constraint;
}

/** The low-level problem made of generated functions and sets. */
export function generatedAlmProblem(
  dims: ProblemDimensions,
  mappings: GeneratedMappings,
  sets: ProblemSets,
): AlmProblem {
  const constrained = dims.n1 + dims.n2 > 0;
  return {
    nu: dims.nu,
    np: dims.np,
    n1: dims.n1,
    n2: dims.n2,
    cost: mappings.cost,
    gradient: mappings.gradient,
    constraints: sets.constraints,
    mappingF1: dims.n1 > 0 ? mappings.mappingF1 : undefined,
    jacobianF1Transpose: dims.n1 > 0 ? mappings.jacobianF1Transpose : undefined,
    almSetC: dims.n1 > 0 ? sets.almSetC : undefined,
    almSetY: dims.n1 > 0 ? sets.almSetY : undefined,
    mappingF2: dims.n2 > 0 ? mappings.mappingF2 : undefined,
    jacobianF2Transpose: dims.n2 > 0 ? mappings.jacobianF2Transpose : undefined,
    costAndMappings: constrained ? mappings.costAndMappings : undefined,
    lagrangianGradient: constrained ? mappings.lagrangianGradient : undefined,
  };
}
