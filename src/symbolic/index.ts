/**
 * The symbolic engine: scalar expression graphs (hash-consed, lightly
 * simplified), reverse-mode automatic differentiation producing expressions,
 * and JavaScript code generation.
 *
 * @module
 */
export { gradient, jacobianTransposeProduct } from "./autodiff.js";
export {
  type CodegenOptions,
  compileFunctions,
  DEFAULT_MAX_FUNCTION_SIZE,
  type FunctionSpec,
  type GeneratedFunction,
  generateModule,
} from "./codegen.js";
export {
  abs,
  acos,
  add,
  asin,
  atan,
  atan2,
  type BinaryOp,
  constant,
  cos,
  cosh,
  div,
  Expr,
  eq,
  exp,
  fabs,
  fmax,
  fmin,
  formatNumber,
  ge,
  gt,
  ifElse,
  isSymbol,
  le,
  log,
  lt,
  mul,
  ne,
  neg,
  type Op,
  pow,
  type Scalar,
  sign,
  sin,
  sinh,
  sq,
  sqrt,
  sub,
  sym,
  tan,
  tanh,
  toExpr,
  type UnaryOp,
} from "./expr.js";
export { freeSymbols, nodeCount, topologicalOrder } from "./graph.js";
export { dot, norm1, norm2, norm2Squared, normInf, rosenbrock, sum, vertcat } from "./vector.js";
