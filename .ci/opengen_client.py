"""A client written the way OpEn's Python OptimizerTcpManager (opengen) is:
it reads optimizer.yml as opengen does (tcp.ip, tcp.port, build.build_mode,
build.opengen_version), then pings, calls and kills the server with one
connection per request (send, shut down writing, read to EOF).

Usage: python3 opengen_client.py OPTIMIZER_DIR PORT
Prints the Pong and the Run reply as JSON; exits non-zero on any surprise.
"""
import json
import math
import os
import socket
import sys

import yaml


class OptimizerTcpManager:
    def __init__(self, optimizer_path, port=None):
        with open(os.path.join(optimizer_path, "optimizer.yml")) as stream:
            self.details = yaml.safe_load(stream)
        # The keys opengen's manager reads: a missing one is a KeyError there.
        self.ip = self.details["tcp"]["ip"]
        self.port = port if port is not None else self.details["tcp"]["port"]
        self.build_mode = self.details["build"]["build_mode"]
        self.opengen_version = self.details["build"]["opengen_version"]

    def _send_receive(self, text, buffer_size=512, max_data_size=1048576):
        with socket.create_connection((self.ip, self.port), timeout=30) as s:
            s.sendall(text.encode())
            s.shutdown(socket.SHUT_WR)
            data = b""
            for _ in range(math.ceil(max_data_size / buffer_size)):
                chunk = s.recv(buffer_size)
                if not chunk:
                    break
                data += chunk
        return data.decode()

    def ping(self):
        return json.loads(self._send_receive('{"Ping":1}'))

    def call(self, p, initial_guess=None, initial_y=None, initial_penalty=None):
        message = '{"Run" : {"parameter": [' + ",".join(map(str, p)) + "]"
        if initial_guess is not None:
            message += ', "initial_guess": [' + ",".join(map(str, initial_guess)) + "]"
        if initial_y is not None:
            message += ', "initial_lagrange_multipliers": [' + ",".join(map(str, initial_y)) + "]"
        if initial_penalty is not None:
            message += ', "initial_penalty": ' + str(float(initial_penalty))
        message += "}}"
        return json.loads(self._send_receive(message))

    def kill(self):
        return self._send_receive('{"Kill":1}')


def main():
    manager = OptimizerTcpManager(sys.argv[1], int(sys.argv[2]))
    dims = manager.details["problem"]
    nu, np, n1 = dims["nu"], dims["np"], dims["n1"]
    pong = manager.ping()
    assert pong == {"Pong": 1}, pong
    p = [1.0] * np
    reply = manager.call(p, initial_guess=[0.0] * nu, initial_y=[0.0] * n1, initial_penalty=1.0)
    assert reply.get("exit_status") in ("Converged", "NotConvergedIterations"), reply
    assert len(reply["solution"]) == nu and len(reply["lagrange_multipliers"]) == n1, reply
    # The server's error codes, as opengen's SolverError would carry them.
    for kwargs, code in (
        ({"p": p + [1.0]}, 3003),
        ({"p": p, "initial_guess": [0.0] * (nu + 1)}, 1600),
        ({"p": p, "initial_y": [0.0] * (n1 + 1)}, 1700),
    ):
        error = manager.call(**kwargs)
        assert error.get("type") == "Error" and error.get("code") == code, error
    assert manager.kill() == ""
    print(json.dumps({"pong": pong, "run": reply, "opengen_version": manager.opengen_version}))


if __name__ == "__main__":
    main()
