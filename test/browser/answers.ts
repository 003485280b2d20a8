/**
 * Known answers the browser tests check, computed independently of the
 * solver: the minimizer of (1 - u1)^2 + 100 (u2 - u1^2)^2 over the unit
 * Euclidean ball (on the circle, from the KKT conditions), and the KKT point
 * of the protocol demo for p = (1, 10).
 */
export const ROSENBROCK_BALL = [0.78641515, 0.61769831] as const;

/** The protocol demo's KKT point for p = (1, 10). */
export const DEMO_KKT = [0.0913638, 0.1370457, -0.1047198, 0.1008784, 0.0101764] as const;
