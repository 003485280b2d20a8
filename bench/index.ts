/**
 * `npm run bench`: every benchmark of the project, one section per layer.
 * Each section module exports `run(): Promise<void>` and prints its rows.
 */
const sections = ["./core.js", "./symbolic.js", "./ocp.js", "./tcp.js"];

for (const section of sections) {
  const mod = (await import(section)) as { run: () => Promise<void> };
  await mod.run();
}
