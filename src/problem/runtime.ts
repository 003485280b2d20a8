/**
 * What a built optimizer needs at run time: wiring generated functions and
 * sets into a {@link ParametricOptimizer}. The builder's in-memory optimizer
 * and a built folder's `optimizer.js` both go through {@link generatedAlmProblem},
 * so they solve exactly the same problem.
 */
import type { Constraint } from "../sets/constraint.js";
import { SolverConfiguration, type SolverSettings } from "../solver/configuration.js";
import { ParametricOptimizer } from "../solver/optimizer.js";
import type {
  AlmProblem,
  CostFunction,
  JacobianTransposeProduct,
  MappingFunction,
} from "../solver/types.js";
import { createSet, type SetDescription } from "./setDescription.js";

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

/**
 * Everything a built folder's `optimizer.js` states about its problem besides
 * the generated functions: dimensions, sets as descriptions, solver settings.
 */
export interface OptimizerDescription extends ProblemDimensions {
  readonly constraints?: SetDescription;
  readonly almSetC?: SetDescription;
  readonly almSetY?: SetDescription;
  readonly solver: Partial<SolverSettings>;
}

/** The low-level problem made of generated functions and sets. */
export function generatedAlmProblem(
  dims: ProblemDimensions,
  mappings: GeneratedMappings,
  sets: ProblemSets,
): AlmProblem {
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
  };
}

/**
 * The optimizer of a built folder: rebuilds the sets from their descriptions
 * and wires the generated functions into a {@link ParametricOptimizer} with
 * the described solver settings. Called by the folder's `createOptimizer()`.
 */
export function createGeneratedOptimizer(
  description: OptimizerDescription,
  mappings: GeneratedMappings,
): ParametricOptimizer {
  const make = (d: SetDescription | undefined) => (d === undefined ? undefined : createSet(d));
  const sets: ProblemSets = {
    constraints: make(description.constraints),
    almSetC: make(description.almSetC),
    almSetY: make(description.almSetY),
  };
  return new ParametricOptimizer(
    generatedAlmProblem(description, mappings, sets),
    new SolverConfiguration(description.solver),
  );
}
