/**
 * The floor of a Node.js TCP server, for `npm run bench`: answers every
 * connection with one fixed reply, the size of a demo Run's, as soon as its
 * first bytes arrive, with no parsing and no solve, and half-closes as our
 * server does. Prints its port on stdout.
 */
import { createServer } from "node:net";

const REPLY = Buffer.from(
  JSON.stringify({
    exit_status: "Converged",
    num_outer_iterations: 10,
    num_inner_iterations: 99,
    last_problem_norm_fpr: 9.368589275234978e-6,
    delta_y_norm_over_c: 5.238302176627948e-5,
    f2_norm: 0,
    solve_time_ms: 0.05,
    penalty: 256,
    solution: [
      0.09120359272676906, 0.13681035519593296, -0.10477996834338771, 0.10098680494488534,
      0.010237695446520124,
    ],
    lagrange_multipliers: [1.5224327791047925, 4.970902787916791],
    cost: 3.998402927337638,
  }),
);

const server = createServer({ allowHalfOpen: true }, (socket) => {
  let answered = false;
  socket.on("error", () => {});
  socket.on("data", () => {
    if (answered) return;
    answered = true;
    socket.end(REPLY);
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address !== null ? address.port : 0}\n`);
});
