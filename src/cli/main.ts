#!/usr/bin/env node
/**
 * The `open-engine` command: build an optimizer folder from a problem module,
 * serve an optimizer, and talk to a running server.
 *
 * Exit status: 0 for success (a good reply); 1 when the server answered with
 * an error (its code is printed); 2 for an invalid command line; 3 when no
 * connection could be made; 4 when the server accepted but did not answer in
 * time; 5 when the reply is not OpEn's protocol.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { buildOptimizerModule } from "../problem/loader.js";
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  parseReply,
  type Reply,
  type RequestFailure,
  sendRequest,
  TcpRequestError,
} from "../tcp/client.js";
import { VERSION } from "../version.js";
import { addServerOptions, parsePort, serveProcess, serverSettingsOf } from "./serve.js";

/** Exit statuses of the client commands. */
const EXIT = {
  errorReply: 1,
  usage: 2,
  refused: 3,
  connection: 3,
  timeout: 4,
  reply: 5,
} as const satisfies Record<RequestFailure | "errorReply" | "usage", number>;

function parseVector(value: string): number[] {
  const entries = value.split(",").map((s) => s.trim());
  const numbers = entries.map(Number);
  if (entries.some((s) => s === "") || numbers.some((x) => !Number.isFinite(x))) {
    throw new InvalidArgumentError(`'${value}' is not a list of numbers such as 1,10.`);
  }
  return numbers;
}

function parsePenalty(value: string): number {
  const c = Number(value);
  if (!Number.isFinite(c) || c <= 0)
    throw new InvalidArgumentError(`'${value}' is not a positive number.`);
  return c;
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(ms)) {
    throw new InvalidArgumentError(`'${value}' is not a number of milliseconds (0: no limit).`);
  }
  return ms;
}

interface Address {
  readonly ip: string;
  readonly port: number;
  readonly timeout: number;
}

function withAddress(command: Command): Command {
  return command
    .option("--ip <address>", "server address", "127.0.0.1")
    .option("--port <port>", "server port", parsePort, 8333)
    .option(
      "--timeout <ms>",
      "give up when no complete reply came within this many milliseconds (0: wait forever)",
      parseTimeout,
      DEFAULT_REQUEST_TIMEOUT_MS,
    );
}

function fail(status: number, message: string): void {
  process.stderr.write(`open-engine: ${message}\n`);
  process.exitCode = status;
}

/**
 * Sends a request and prints the reply when it is the one expected; any other
 * outcome gets a one-line message on stderr and a non-zero exit status.
 */
async function talk(address: Address, body: string, expected: Reply["type"]): Promise<void> {
  const where = `${address.ip}:${address.port}`;
  let reply: Reply;
  let text: string;
  try {
    // A server that kept the connection alive while the Run waited sends
    // spaces ahead of the reply (valid JSON); print the reply alone.
    text = (await sendRequest(address.ip, address.port, body, address.timeout)).trim();
    reply = parseReply(text);
  } catch (e) {
    if (!(e instanceof TcpRequestError)) throw e;
    const hint = e.reason === "refused" ? "; start one with 'open-engine serve'" : "";
    fail(EXIT[e.reason], `${e.reason === "reply" ? `${where}: ` : ""}${e.message}${hint}`);
    return;
  }
  if (reply.type === "Error") {
    process.stdout.write(`${text}\n`);
    fail(EXIT.errorReply, `${where} answered error ${reply.error.code}: ${reply.error.message}`);
  } else if (reply.type !== expected) {
    fail(EXIT.reply, `${where} answered ${reply.type === "Empty" ? "nothing" : `a ${reply.type}`}`);
  } else if (text.length > 0) {
    process.stdout.write(`${text}\n`);
  }
}

const program = new Command("open-engine")
  .description("Fast embedded parametric optimization: build, serve and call optimizers.")
  .version(VERSION, "-V, --version", "print the open-engine version")
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  })
  .addHelpText(
    "after",
    "\nExit status of ping, call and kill: 0 good reply, 1 error reply, 2 invalid command line,\n" +
      "3 no connection, 4 no reply in time, 5 not OpEn's protocol.",
  );

addServerOptions(
  program
    .command("serve")
    .description(
      "Serve an optimizer over TCP (OpEn's JSON protocol) until a Kill request, SIGTERM or SIGINT. MODULE is a problem module, a built folder's optimizer.js, or any module exporting createOptimizer().",
    )
    .argument("<module>", "JavaScript module to serve"),
).action((module: string, options: Record<string, unknown>) =>
  serveProcess(module, serverSettingsOf(options)),
);

program
  .command("build")
  .description(
    "Build a self-contained optimizer folder (generated code, optimizer.yml, runtime, TCP server) from a problem module.",
  )
  .argument(
    "<module>",
    "JavaScript module exporting `problem` (and optionally solverConfiguration, meta, buildConfiguration)",
  )
  .option(
    "--build-dir <dir>",
    "build directory (default: the module's buildConfiguration, else ./build)",
  )
  .option("--name <name>", "optimizer name (default: the module's meta)")
  .action(async (module: string, options: { buildDir?: string; name?: string }) => {
    process.stderr.write(`open-engine: building ${module}...\n`);
    const started = performance.now();
    try {
      const { directory, name } = await buildOptimizerModule(module, {
        buildDirectory: options.buildDir,
        name: options.name,
      });
      const ms = (performance.now() - started).toFixed(0);
      process.stderr.write(`open-engine: built ${name} in ${ms} ms\n`);
      process.stdout.write(
        `${directory}\nstart its server with: node ${directory}/tcp_iface_${name}/server.js [--ip A] [--port N]\n`,
      );
    } catch (e) {
      fail(1, `cannot build ${module}: ${(e as Error).message}`);
    }
  });

withAddress(program.command("ping").description("Ping a running server; print its Pong.")).action(
  (address: Address) => talk(address, '{"Ping":1}', "Pong"),
);

withAddress(
  program
    .command("call")
    .description("Solve on a running server and print its JSON reply.")
    .requiredOption("--parameter <values>", "parameter vector, e.g. 1,10", parseVector)
    .option("--initial-guess <values>", "initial guess u0", parseVector)
    .option(
      "--initial-lagrange-multipliers <values>",
      "initial Lagrange multipliers y0",
      parseVector,
    )
    .addOption(
      new Option("--initial-y <values>", "alias of --initial-lagrange-multipliers")
        .argParser(parseVector)
        .conflicts("initialLagrangeMultipliers"),
    )
    .option("--initial-penalty <c>", "initial penalty c0", parsePenalty),
).action(
  (
    options: Address & {
      parameter: number[];
      initialGuess?: number[];
      initialLagrangeMultipliers?: number[];
      initialY?: number[];
      initialPenalty?: number;
    },
  ) =>
    talk(
      options,
      JSON.stringify({
        Run: {
          parameter: options.parameter,
          initial_guess: options.initialGuess ?? null,
          initial_lagrange_multipliers:
            options.initialLagrangeMultipliers ?? options.initialY ?? null,
          initial_penalty: options.initialPenalty ?? null,
        },
      }),
      "Status",
    ),
);

withAddress(program.command("kill").description("Stop a running server.")).action(
  (address: Address) => talk(address, '{"Kill":1}', "Empty"),
);

await program.parseAsync();
