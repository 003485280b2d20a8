#!/usr/bin/env node
/**
 * The `open-engine` command: build an optimizer folder from a problem module,
 * serve an optimizer, and talk to a running server.
 */
import { Command, InvalidArgumentError } from "commander";
import { buildOptimizerModule } from "../problem/loader.js";
import { sendRequest } from "../tcp/client.js";
import {
  addServerOptions,
  parseCount,
  parsePort,
  serveProcess,
  serverSettingsOf,
} from "./serve.js";

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

interface Address {
  readonly ip: string;
  readonly port: number;
  readonly timeout: number;
}

function withAddress(command: Command): Command {
  return command
    .option("--ip <address>", "server address", "127.0.0.1")
    .option("--port <port>", "server port", parsePort, 8333)
    .option("--timeout <ms>", "give up after this many milliseconds", parseCount, 10_000);
}

async function talk(address: Address, body: string): Promise<void> {
  try {
    const reply = await sendRequest(address.ip, address.port, body, address.timeout);
    if (reply.length > 0) process.stdout.write(`${reply}\n`);
  } catch (e) {
    process.stderr.write(
      `open-engine: no answer from ${address.ip}:${address.port} (${(e as Error).message}); is a server running there? Start one with 'open-engine serve'.\n`,
    );
    process.exitCode = 1;
  }
}

const program = new Command("open-engine")
  .description("Fast embedded parametric optimization: build, serve and call optimizers.")
  .showHelpAfterError();

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
    "Build an optimizer folder (generated code, optimizer.yml, TCP server) from a problem module.",
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
      process.stderr.write(`open-engine: cannot build ${module}: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  });

withAddress(program.command("ping").description("Ping a running server.")).action(
  (address: Address) => talk(address, '{"Ping":1}'),
);

withAddress(
  program
    .command("call")
    .description("Solve on a running server and print its JSON reply.")
    .requiredOption("--parameter <values>", "parameter vector, e.g. 1,10", parseVector)
    .option("--initial-guess <values>", "initial guess u0", parseVector)
    .option("--initial-y <values>", "initial Lagrange multipliers", parseVector)
    .option("--initial-penalty <c>", "initial penalty", parsePenalty),
).action(
  (
    options: Address & {
      parameter: number[];
      initialGuess?: number[];
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
          initial_lagrange_multipliers: options.initialY ?? null,
          initial_penalty: options.initialPenalty ?? null,
        },
      }),
    ),
);

withAddress(program.command("kill").description("Stop a running server.")).action(
  (address: Address) => talk(address, '{"Kill":1}'),
);

await program.parseAsync();
