import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SolverStatus } from "../../src/solver/types.js";
import { type FrameState, RequestFramer } from "../../src/tcp/framer.js";
import { describeSyntaxError } from "../../src/tcp/jsonSyntax.js";
import {
  MAX_ECHO_CHARS,
  parseRequest,
  serializeError,
  serializePong,
  serializeStatus,
} from "../../src/tcp/protocol.js";

const MIB = 1024 * 1024;
const enc = (s: string): Buffer => Buffer.from(s, "utf8");

/** Frames `chunks` pushed one after the other, then a half-close. */
function frame(chunks: Uint8Array[], maxBytes = MIB): { state: FrameState; bytes: string } {
  const f = new RequestFramer(maxBytes);
  let state: FrameState = "more";
  for (const c of chunks) state = f.push(c);
  if (state === "more") state = f.end();
  return { state, bytes: state === "complete" ? f.bytes().toString("latin1") : "" };
}

/** CPU time of `fn` in ms (user + system): unlike wall-clock time, other processes do not inflate it. */
function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}
const parse = (s: string | Buffer) => parseRequest(typeof s === "string" ? enc(s) : s);

function errorOf(s: string | Buffer): { code: number; message: string } {
  const r = parse(s);
  assert.equal(r.ok, false, `expected an error for ${String(s)}`);
  if (r.ok) throw new Error("unreachable");
  return { code: r.code, message: r.message };
}

describe("RequestFramer", () => {
  it("completes on a closed top-level object, whatever the packets", () => {
    const text = enc('{"Run": {"parameter": [1, 2], "s": "a}\\"]{"}}\n');
    for (let cut = 1; cut < text.length - 2; cut++) {
      const f = new RequestFramer(MIB);
      assert.equal(f.push(text.subarray(0, cut)), "more", `cut ${cut}`);
      assert.equal(f.push(text.subarray(cut)), "complete");
      // The newline after the value is not part of the request.
      assert.deepEqual(f.bytes(), text.subarray(0, text.length - 1));
    }
  });

  it("waits while a string holds brackets and escaped quotes", () => {
    const f = new RequestFramer(MIB);
    assert.equal(f.push(enc('{"a": "}\\"}')), "more");
    assert.equal(f.push(enc('"}')), "complete");
  });

  it("completes a top-level scalar on whitespace, or on end of input", () => {
    const f = new RequestFramer(MIB);
    assert.equal(f.push(enc("nul")), "more");
    assert.equal(f.push(enc("l\n")), "complete");
    const g = new RequestFramer(MIB);
    assert.equal(g.push(enc("12")), "more");
    assert.equal(g.end(), "complete");
    assert.equal(g.bytes().toString(), "12");
  });

  it("leading whitespace does not complete, a stray closing bracket does", () => {
    const f = new RequestFramer(MIB);
    assert.equal(f.push(enc("  \n ")), "more");
    assert.equal(f.push(enc("]")), "complete");
  });

  it("keeps a multi-byte character split across packets intact", () => {
    const text = enc('{"Ping": 1, "note": "\u00e9\u20ac"}');
    const cut = text.indexOf(0xc3) + 1;
    const f = new RequestFramer(MIB);
    assert.equal(f.push(text.subarray(0, cut)), "more");
    assert.equal(f.push(text.subarray(cut)), "complete");
    assert.equal(f.bytes().toString("utf8"), '{"Ping": 1, "note": "\u00e9\u20ac"}');
  });

  it("the request is the first JSON value: the same bytes give the same request at every split", () => {
    const inputs: [string, string][] = [
      ['{"Ping":1}{"Ping":2}', '{"Ping":1}'],
      ['{"Ping":1} trailing', '{"Ping":1}'],
      [
        '  {"Run": {"parameter": [1, 2], "s": "a}\\"]{"}}\n{"Kill":1}',
        '  {"Run": {"parameter": [1, 2], "s": "a}\\"]{"}}',
      ],
      ["12 34", "12"],
      ["null[1]", "null"],
      ['"a\\"b" "c"', '"a\\"b"'],
      ["]]", "]"],
      ['{"Ping":', '{"Ping":'],
      ["\u00e9t\u00e9 {}", "\u00e9t\u00e9"],
    ];
    for (const [text, request] of inputs) {
      const bytes = enc(text);
      const whole = frame([bytes]);
      assert.deepEqual(whole, { state: "complete", bytes: enc(request).toString("latin1") }, text);
      for (let cut = 1; cut < bytes.length; cut++) {
        const split = frame([bytes.subarray(0, cut), bytes.subarray(cut)]);
        assert.deepEqual(split, whole, `${text} cut at ${cut}`);
      }
      const byByte = frame(Array.from(bytes, (b) => Uint8Array.of(b)));
      assert.deepEqual(byByte, whole, `${text} byte by byte`);
    }
  });

  it("holds one buffer of at most twice the bytes received, however small the packets", () => {
    const f = new RequestFramer(MIB);
    const body = enc(`{"Run": {"parameter": [${"1,".repeat(50_000)}1]}}`);
    for (let i = 0; i < body.length; i++) {
      f.push(body.subarray(i, i + 1));
      assert.ok(f.capacity <= Math.max(256, 2 * f.size), `capacity ${f.capacity} at ${f.size}`);
    }
    assert.equal(f.bytes().toString(), body.toString());
  });

  it("refuses more than the limit and drops what it held", () => {
    const f = new RequestFramer(10);
    assert.equal(f.push(enc('{"Ping":')), "more");
    assert.equal(f.size, 8);
    assert.equal(f.push(enc("123}")), "tooLarge");
    assert.equal(f.push(enc("}")), "tooLarge");
    assert.equal(f.end(), "tooLarge");
    const g = new RequestFramer(10);
    assert.equal(g.push(enc('{"Ping":1}')), "complete"); // exactly the limit
    assert.throws(() => new RequestFramer(0), /maxBytes must be a positive integer, got 0/);
  });
});

describe("parseRequest", () => {
  it("Ping and Kill", () => {
    assert.deepEqual(parse('{ "Ping" : 1 }'), { ok: true, request: { type: "Ping", id: 1 } });
    assert.deepEqual(parse('{"Ping":-2147483648}'), {
      ok: true,
      request: { type: "Ping", id: -2147483648 },
    });
    assert.deepEqual(parse('{"Ping":2147483647}\n'), {
      ok: true,
      request: { type: "Ping", id: 2147483647 },
    });
    assert.deepEqual(parse('{"Kill":1}'), { ok: true, request: { type: "Kill", id: 1 } });
  });

  it("Ping outside i32, fractional, or not a number is 1000", () => {
    for (const body of ["2147483648", "-2147483649", "1.5", '"1"', "null", "[1]"]) {
      const e = errorOf(`{"Ping":${body}}`);
      assert.equal(e.code, 1000);
      assert.match(
        e.message,
        /^invalid request: Ping expects an integer in the signed 32-bit range/,
      );
    }
    assert.equal(
      errorOf('{"Kill":0.5}').message,
      "invalid request: Kill expects an integer, got the number 0.5",
    );
  });

  it("Run with every field, initial_y as an alias, unknown keys ignored", () => {
    assert.deepEqual(
      parse(
        '{"Run": {"parameter": [1.0, 10], "initial_guess": [0, -1e-3], "initial_y": [2], "initial_penalty": 5, "x": {}}}',
      ),
      {
        ok: true,
        request: {
          type: "Run",
          parameter: [1, 10],
          initialGuess: [0, -0.001],
          initialLagrangeMultipliers: [2],
          initialPenalty: 5,
        },
      },
    );
    assert.deepEqual(
      parse(
        '{"Run": {"parameter": [], "initial_guess": null, "initial_lagrange_multipliers": [3], "initial_y": [4], "initial_penalty": null}}',
      ),
      {
        ok: true,
        request: {
          type: "Run",
          parameter: [],
          initialGuess: null,
          initialLagrangeMultipliers: [3],
          initialPenalty: null,
        },
      },
    );
  });

  it("wrong shapes and types are 1000 with a message naming the problem", () => {
    const cases: [string, string][] = [
      ['{"Foo": 1}', 'unknown request type "Foo", expected "Ping", "Run" or "Kill"'],
      [
        '{"Ping": 1, "Kill": 1}',
        'expected an object with exactly one key, "Ping", "Run" or "Kill", got an object with 2 keys',
      ],
      ["[]", 'expected an object with exactly one key, "Ping", "Run" or "Kill", got an array'],
      ["null", 'expected an object with exactly one key, "Ping", "Run" or "Kill", got null'],
      [
        "{}",
        'expected an object with exactly one key, "Ping", "Run" or "Kill", got an object with 0 keys',
      ],
      ['{"Run": []}', "Run expects an object, got an array"],
      ['{"Run": {}}', "Run.parameter is missing"],
      ['{"Run": {"parameter": "x"}}', "Run.parameter must be an array of numbers, got a string"],
      ['{"Run": {"parameter": [1, "a"]}}', "Run.parameter[1] must be a number, got a string"],
      ['{"Run": {"parameter": [1e999]}}', "Run.parameter[0] is out of the range of a double"],
      [
        '{"Run": {"parameter": [1], "initial_guess": [true]}}',
        "Run.initial_guess[0] must be a number, got a boolean",
      ],
      [
        '{"Run": {"parameter": [1], "initial_lagrange_multipliers": 3}}',
        "Run.initial_lagrange_multipliers must be an array of numbers, got the number 3",
      ],
      [
        '{"Run": {"parameter": [1], "initial_y": [null]}}',
        "Run.initial_y[0] must be a number, got null",
      ],
      [
        '{"Run": {"parameter": [1], "initial_penalty": 0}}',
        "Run.initial_penalty must be a positive finite number, got the number 0",
      ],
      [
        '{"Run": {"parameter": [1], "initial_penalty": -1}}',
        "Run.initial_penalty must be a positive finite number, got the number -1",
      ],
      [
        '{"Run": {"parameter": [1], "initial_penalty": 1e400}}',
        "Run.initial_penalty must be a positive finite number, got the number Infinity",
      ],
      [
        '{"Run": {"parameter": [1], "initial_penalty": "2"}}',
        "Run.initial_penalty must be a positive finite number, got a string",
      ],
    ];
    for (const [body, message] of cases) {
      assert.deepEqual(errorOf(body), { code: 1000, message: `invalid request: ${message}` }, body);
    }
  });

  it("syntax errors name the position as line L column C", () => {
    const cases: [string, string][] = [
      ['{"Run":', "EOF while parsing at line 1 column 7"],
      ["", "EOF while parsing at line 1 column 0"],
      ['{"Run": {"parameter": [NaN]}}', "expected value at line 1 column 24"],
      ['{"Ping": Infinity}', "expected value at line 1 column 10"],
      ['{\n  "Ping" 1}', "expected `:` at line 2 column 10"],
      ['{"a": 1,\n\n "b": tru}', "expected value at line 3 column 7"],
      ["[1,]", "expected value at line 1 column 4"],
      ["[1 2]", "expected `,` or `]` at line 1 column 4"],
      ['{"a": 1 "b"}', "expected `,` or `}` at line 1 column 9"],
      ["{1: 2}", "key must be a string at line 1 column 2"],
      ['{"Ping":1} x', "trailing characters at line 1 column 12"],
      ['{"Ping":01}', "invalid number at line 1 column 10"],
      ['["\\x"]', "invalid escape at line 1 column 4"],
      ['["\\u12g4"]', "invalid \\u escape at line 1 column 7"],
      ['["a\tb"]', "control character in a string at line 1 column 4"],
      ["-", "expected value at line 1 column 1"],
    ];
    for (const [body, message] of cases) {
      assert.deepEqual(errorOf(body), { code: 1000, message: `invalid request: ${message}` }, body);
    }
  });

  it("words an error the same whether the request is parsed first or checked first", () => {
    // Short requests go to JSON.parse at once, long ones (over a few KiB) are checked first;
    // trailing whitespace makes a request long without moving its error.
    const bodies = ['{"Run": {"parameter": [1,]}}', '{"Ping": 1} x', '{"Kill" 1}', "[1 2]"];
    for (const body of bodies) {
      const short = errorOf(body);
      assert.match(short.message, /at line 1 column \d+$/, body);
      assert.deepEqual(errorOf(`${body}${" ".repeat(10_000)}`), short, body);
    }
  });

  it("the syntax checker agrees with JSON.parse on valid documents, however deep", () => {
    const docs = [
      '{"a": [1, -2.5e+3, 0.0, true, false, null, "\\u00e9\\n", {}, []], "b": {"c": [[]]}}',
      " [ ] ",
      '"x"',
      "-0",
      `${"[".repeat(100000)}${"]".repeat(100000)}`,
    ];
    for (const d of docs) {
      JSON.parse(d);
      assert.equal(describeSyntaxError(d), null, d.slice(0, 40));
    }
    assert.equal(
      describeSyntaxError(`${"[".repeat(100000)}${"]".repeat(99999)}`),
      "EOF while parsing at line 1 column 199999",
    );
  });

  it("repeats at most a few dozen characters of the client's input", () => {
    const name = "x".repeat(MIB);
    const e = errorOf(`{"${name}": 1}`);
    assert.equal(
      e.message,
      `invalid request: unknown request type "${"x".repeat(MAX_ECHO_CHARS)}"... (${MIB} characters), expected "Ping", "Run" or "Kill"`,
    );
    // A surrogate pair at the cut is kept whole or left out, never halved.
    const emoji = `${"y".repeat(MAX_ECHO_CHARS - 1)}\u{1F600}`;
    assert.match(errorOf(`{"${emoji}z": 1}`).message, /"y+"\.\.\. \(66 characters\)/);
  });

  it("finds errors deep inside long vectors and strings at the same place", () => {
    const head = `[${"-1.5e+3, ".repeat(5000)}`;
    const at = (offset: number) => `line 1 column ${head.length + offset}`;
    const cases: [string, string][] = [
      ["01, 2]", `invalid number at ${at(2)}`],
      ["1 2]", `expected \`,\` or \`]\` at ${at(3)}`],
      ["1.e5]", `invalid number at ${at(2)}`],
      ["-, 2]", `expected value at ${at(1)}`],
      ['"a\\qb"]', `invalid escape at ${at(4)}`],
      ['"a\u0001"]', `control character in a string at ${at(3)}`],
      ["1,", `EOF while parsing at ${at(2)}`],
      ["1]]", `trailing characters at ${at(3)}`],
    ];
    for (const [tail, message] of cases) {
      assert.equal(describeSyntaxError(head + tail), message, tail);
    }
    assert.equal(describeSyntaxError(`${head}1]`), null);
    assert.equal(describeSyntaxError(`["${"x".repeat(100_000)}", 1]`), null);
  });

  it("locates the error of a megabyte of malformed input in one linear pass", () => {
    const numbers = `[${"1,".repeat(MIB / 2)}`;
    assert.equal(
      errorOf(numbers).message,
      `invalid request: EOF while parsing at line 1 column ${numbers.length}`,
    );
    const lines = `{"Run": {"parameter": [${"1.5e3,\n".repeat(MIB / 8)}x]}}`;
    assert.equal(
      errorOf(lines).message,
      `invalid request: expected value at line ${MIB / 8 + 1} column 1`,
    );
    // Measured against what JSON.parse pays for a valid megabyte: this takes about as
    // much; the scanner it replaces took 6 to 8 times as much.
    const valid = `[${"1,".repeat(MIB / 2)}1]`;
    const bound =
      3 *
      Math.max(
        5,
        cpuMs(() => JSON.parse(valid)),
      );
    const spent = cpuMs(() => parse(numbers));
    assert.ok(spent < bound, `${spent} ms of CPU for 1 MiB, bound ${bound} ms`);
  });

  it("bytes that are not UTF-8 are 1000 with the protocol's message", () => {
    assert.deepEqual(errorOf(Buffer.from([0xff, 0xfe])), {
      code: 1000,
      message: "invalid request: request body is not valid UTF-8",
    });
    // A truncated two-byte character at the end.
    assert.deepEqual(errorOf(Buffer.concat([enc('{"Ping":1, "x": "'), Buffer.from([0xc3])])), {
      code: 1000,
      message: "invalid request: request body is not valid UTF-8",
    });
  });
});

describe("serialisation", () => {
  const status: SolverStatus = {
    exitStatus: "Converged",
    numOuterIterations: 3,
    numInnerIterations: 42,
    lastProblemNormFpr: 1.5e-6,
    deltaYNormOverC: 0,
    f2Norm: Number.NaN,
    solveTimeMs: 0.125,
    penalty: Number.POSITIVE_INFINITY,
    solution: Float64Array.of(1, -0.5, 1e-20),
    lagrangeMultipliers: new Float64Array(0),
    cost: -2,
    lastProblemStationarity: 1,
  };

  it("a status has PROTOCOL.md's keys in order and null for non-finite numbers", () => {
    const text = serializeStatus(status);
    const reply = JSON.parse(text);
    assert.deepEqual(Object.keys(reply), [
      "exit_status",
      "num_outer_iterations",
      "num_inner_iterations",
      "last_problem_norm_fpr",
      "delta_y_norm_over_c",
      "f2_norm",
      "solve_time_ms",
      "penalty",
      "solution",
      "lagrange_multipliers",
      "cost",
    ]);
    assert.deepEqual(reply, {
      exit_status: "Converged",
      num_outer_iterations: 3,
      num_inner_iterations: 42,
      last_problem_norm_fpr: 1.5e-6,
      delta_y_norm_over_c: 0,
      f2_norm: null,
      solve_time_ms: 0.125,
      penalty: null,
      solution: [1, -0.5, 1e-20],
      lagrange_multipliers: [],
      cost: -2,
    });
  });

  it("errors and pongs", () => {
    const text = serializeError(1700, 'a "quoted"\nmessage');
    assert.deepEqual(JSON.parse(text), {
      type: "Error",
      code: 1700,
      message: 'a "quoted"\nmessage',
    });
    assert.deepEqual(Object.keys(JSON.parse(text)), ["type", "code", "message"]);
    assert.deepEqual(JSON.parse(serializePong(-7)), { Pong: -7 });
  });
});
