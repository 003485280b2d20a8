import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { findChromium, launchChromium } from "../../playground/chromium.js";
import { type PlaygroundServer, startPlaygroundServer } from "../../playground/server.js";
import { DEMO_KKT, ROSENBROCK_BALL } from "./answers.js";

// Headless Chromium: skipped with a message where none is installed, except
// in CI, where a missing Chromium fails (.ci/run installs Debian's).
const executable = findChromium();
const absent =
  executable === undefined
    ? "no Chromium found (install Debian's chromium, or set OPEN_ENGINE_CHROMIUM to its path)"
    : undefined;
if (absent !== undefined && process.env.CI === "true") {
  throw new Error(`the browser tests must run in CI: ${absent}`);
}
const resultsDir = fileURLToPath(new URL("../../../test-results/", import.meta.url));

function assertClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => {
    assert.ok(Math.abs((actual[i] ?? Number.NaN) - e) <= tol, `u[${i}] = ${actual[i]}, not ${e}`);
  });
}

/**
 * The optimal control problem of docs/ocp.md, built and solved with
 * the library namespace it is given: the page's bundle, or Node's browser
 * entry. Returns its exit status, cost and inputs.
 */
const OCP_SOLVE = `(oe) => {
  const ocp = new oe.OptimalControlProblem({ nx: 2, nu: 1, horizon: 20, shooting: "single" })
    .addParameter("x0", 2).addParameter("xref", 2, [0, 0]).addParameter("q", 1, 1)
    .addParameter("r", 1, 0.1).addParameter("a", 1, 0.8).addParameter("xmin", 1, -1);
  ocp
    .withDynamics((x, u, p) => [oe.sin(x[0]).mul(0.98).add(x[1]),
      oe.sq(x[0]).mul(0.1).sub(x[0].mul(0.5)).add(p.a.mul(x[1])).add(u[0])])
    .withStageCost((x, u, p) => {
      const e = oe.vsub(x, p.xref);
      return p.q.mul(oe.dot(e, e)).add(p.r.mul(oe.dot(u, u)));
    })
    .withTerminalCost((x, p) => oe.dot(oe.vsub(x, p.xref), oe.vsub(x, p.xref)).mul(100))
    .withPathConstraint((x, _u, p) => x[1].sub(p.xmin), { kind: "alm", setC: new oe.Rectangle([0], [Infinity]) })
    .withInputConstraints(new oe.BallInf(0.2));
  const settings = new oe.SolverConfiguration({ tolerance: 1e-6, maxInnerIterations: 2000, maxOuterIterations: 40 });
  const s = new oe.OcpBuilder(ocp, undefined, undefined, settings).buildInMemory()
    .solve({ x0: [0.4, 0.2], q: 30, r: 1, xmin: -0.2 });
  return { status: s.exitStatus, cost: s.cost, u: s.inputs.flat() };
}`;

/** The end of the MPC's predicted path, simulated here from the inputs (the model of the preset). */
function terminalPosition(u: readonly number[]): [number, number] {
  let [x, y, theta] = [0, 0, 0];
  for (let t = 0; t < u.length / 2; t++) {
    const Tv = 0.1 * (u[2 * t] ?? Number.NaN);
    [x, y, theta] = [
      x + Tv * Math.cos(theta),
      y + Tv * Math.sin(theta),
      theta + (Tv / 0.5) * Math.tan(u[2 * t + 1] ?? Number.NaN),
    ];
  }
  return [x, y];
}

/** Waits for the page's solves to settle, then reads the exit status and the solution. */
async function settled(page: Page): Promise<{ status: string; u: number[] }> {
  await page.waitForSelector("body[data-state=done], body[data-state=error]");
  const status = (await page.textContent("#status")) ?? "";
  const u = JSON.parse((await page.getAttribute("#solution", "data-values")) ?? "[]") as number[];
  return { status, u };
}

describe("open-engine in headless Chromium", { skip: absent, timeout: 60_000 }, () => {
  let browser: Browser;
  let server: PlaygroundServer;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    [browser, server] = await Promise.all([
      launchChromium(executable ?? ""),
      startPlaygroundServer(0),
    ]);
    page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (e) => errors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("solves with the bundle imported by a page", async () => {
    await page.goto(server.url);
    const out = (await page.evaluate(`(async () => {
      const oe = await import("/dist/browser/open-engine.js");
      const u = oe.sym("u", 2);
      const cost = oe.add(oe.sq(oe.sub(1, u[0])), oe.mul(100, oe.sq(oe.sub(u[1], oe.sq(u[0])))));
      const problem = new oe.Problem(u, [], cost).withConstraints(new oe.Ball2(1));
      const settings = new oe.SolverConfiguration({ tolerance: 1e-10 });
      const r = new oe.OptimizerBuilder(problem, undefined, undefined, settings).buildInMemory().solve([]);
      return { status: r.status.exitStatus, u: Array.from(r.status.solution), node: typeof process };
    })()`)) as { status: string; u: number[]; node: string };
    assert.equal(out.node, "undefined");
    assert.equal(out.status, "Converged");
    assertClose(out.u, ROSENBROCK_BALL, 1e-7);
  });

  it("builds and solves an optimal control problem in the page, as Node.js does", async () => {
    await page.goto(server.url);
    const inPage = (await page.evaluate(
      `(async () => (${OCP_SOLVE})(await import("/dist/browser/open-engine.js")))()`,
    )) as { status: string; cost: number; u: number[] };
    const browserEntry = await import("../../src/browser.js");
    const inNode = new Function(`return ${OCP_SOLVE}`)()(browserEntry) as typeof inPage;
    assert.equal(inPage.status, "Converged");
    assert.equal(inNode.status, "Converged");
    // Math.sin may differ in the last bit between the two: the iterates part,
    // and both answers are right to the solve's tolerances (constraints 1e-4).
    assertClose(inPage.u, inNode.u, 1e-3);
    assert.ok(Math.abs(inPage.cost - inNode.cost) <= 1e-4 * inNode.cost, `${inPage.cost}`);
    assert.ok(inPage.u.every((v) => Math.abs(v) <= 0.2 + 1e-12));
  });

  it("explains that a Content-Security-Policy forbids generated code", async () => {
    const csp = new URL("csp.html", server.url).href;
    await page.route(csp, (route) =>
      route.fulfill({
        contentType: "text/html",
        headers: { "content-security-policy": "script-src 'self'" },
        body: "<!doctype html><title>strict CSP</title>",
      }),
    );
    await page.goto(csp);
    const message = (await page.evaluate(`(async () => {
      const oe = await import("/dist/browser/open-engine.js");
      const u = oe.sym("u", 1);
      try {
        new oe.OptimizerBuilder(new oe.Problem(u, [], oe.sq(u[0]))).buildInMemory();
        return "compiled";
      } catch (e) {
        return e.message + " / " + e.cause?.name;
      }
    })()`)) as string;
    assert.match(message, /forbids compiling generated code .*'unsafe-eval'.* \/ EvalError$/);
  });

  it("solves the presets in the playground's worker", async () => {
    await page.goto(`${server.url}?preset=rosenbrock`);
    const rosenbrock = await settled(page);
    assert.equal(rosenbrock.status, "Converged");
    assertClose(rosenbrock.u, ROSENBROCK_BALL, 1e-6);
    assert.match((await page.textContent("#chart-caption")) ?? "", /inner iterations/);

    await page.selectOption("#preset", "demo");
    await page.waitForFunction('document.body.dataset.parameter === "[1,10]"');
    const demo = await settled(page);
    assert.equal(demo.status, "Converged");
    assertClose(demo.u, DEMO_KKT, 5e-4);
    assert.equal(await page.locator("#chart polyline").count(), 2); // residual and infeasibility
    assert.match((await page.textContent("#chart-caption")) ?? "", /outer iterations/);
  });

  it("solves a problem edited in the page", async () => {
    await page.goto(`${server.url}?preset=rosenbrock`);
    await settled(page);
    const source = (await page.inputValue("#source")).replace("new Ball2(1)", "new Ball2(2)");
    await page.fill("#source", source);
    await page.click("#solve");
    await page.waitForFunction('document.body.dataset.solves === "2"');
    const edited = await settled(page);
    assertClose(edited.u, [1, 1], 1e-4); // the unconstrained minimizer, now inside the ball

    await page.fill("#source", "return 42;");
    await page.click("#solve");
    await page.waitForSelector("body[data-state=error]");
    assert.match((await page.textContent("#status")) ?? "", /must return \{ problem/);
  });

  it("stays responsive while the worker is busy", async () => {
    // The edited problem makes the worker wait on a request that the test holds: the
    // page must render frames and take input meanwhile, and finish once it is released.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/playground/hold", async (route) => {
      await held;
      await route.fulfill({ body: "released" });
    });
    await page.goto(`${server.url}?preset=rosenbrock`);
    await settled(page);
    const hold =
      'const hold = new XMLHttpRequest(); hold.open("GET", "/playground/hold", false); hold.send();\n';
    await page.fill("#source", hold + (await page.inputValue("#source")));
    await page.click("#solve");
    await page.waitForFunction('document.body.dataset.state === "solving"');
    const during = await page.evaluate(
      "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => " +
        'done([document.body.dataset.state, document.getElementById("busy").hidden]))))',
    );
    assert.deepEqual(during, ["solving", false]);
    await page.click("#warm");
    assert.equal(await page.isChecked("#warm"), true);
    release();
    const after = await settled(page);
    assert.equal(after.status, "Converged");
    assertClose(after.u, ROSENBROCK_BALL, 1e-6);
  });

  it("follows the MPC target dragged in the plane, and shows the predicted path", async () => {
    await page.goto(`${server.url}?preset=mpc`);
    const first = await settled(page);
    assert.equal(first.status, "Converged");
    const [x, y] = terminalPosition(first.u);
    assert.ok(Math.hypot(x - 2, y - 1.5) < 0.1, `ends at (${x}, ${y}), far from (2, 1.5)`);
    const points = ((await page.getAttribute("#path", "points")) ?? "").trim().split(" ");
    assert.equal(points.length, 31);

    // Drag the target from (2, 1.5) m to (1, -1) m: the plane draws 96 px per metre.
    const box = await page.locator("#plane").boundingBox();
    assert.ok(box !== null);
    const at = (wx: number, wy: number) =>
      [
        box.x + ((wx + 1) * 96 * box.width) / 480,
        box.y + ((2 - wy) * 96 * box.height) / 360,
      ] as const;
    await page.mouse.move(...at(2, 1.5));
    await page.mouse.down();
    await page.mouse.move(...at(1.5, 0), { steps: 5 });
    await page.mouse.move(...at(1, -1), { steps: 5 });
    await page.mouse.up();
    // Every move asks for a solve; the page is settled once the last one is answered.
    await page.waitForFunction(
      'document.body.dataset.state === "done" && ' +
        'document.body.dataset.parameter === document.getElementById("parameter").value',
    );
    const parameter = JSON.parse(await page.inputValue("#parameter")) as number[];
    assertClose(parameter.slice(3, 5), [1, -1], 0.02);
    const dragged = await settled(page);
    assert.equal(dragged.status, "Converged");
    const [dx, dy] = terminalPosition(dragged.u);
    assert.ok(
      Math.hypot(dx - (parameter[3] ?? 0), dy - (parameter[4] ?? 0)) < 0.1,
      `ends at (${dx}, ${dy}), far from the target`,
    );
    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: `${resultsDir}playground-mpc.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });
});
