"""Schemathesis hooks for scripts/fuzz.sh: keep the fuzzer's writes under /fuzz.

fuzz.sh only lets through GET operations and the mutating operations listed in
CONFINED_OPERATIONS; before each call this hook rewrites the configuration path
or znode path of those operations so that whatever the fuzzer generated lands
under the `fuzz` prefix, never on the shared cluster's real data.

With ARCHON_FUZZ_PRIVATE=1 (`fuzz.sh --private`) the backend, ZooKeeper,
Kafka, Connect and Marathon are the run's own and every operation goes
through; only what would reach outside them is rewritten: the command of an
app (the local Marathon runs it as a process on this machine) and the file
of a FileStream connector (its worker reads or writes it).
"""
import hashlib
import os

import schemathesis

FUZZ_PREFIX = "fuzz"

# Random cluster names only ever reach the "unknown cluster" 404; naming the
# configured ones lets the fuzzer get past it into the handlers.
KNOWN_NAMES = {
    "ensemble": os.environ.get("ARCHON_FUZZ_ENSEMBLE", "local"),
    "cluster": os.environ.get("ARCHON_FUZZ_CLUSTER", "local"),
    "instance": os.environ.get("ARCHON_FUZZ_INSTANCE", "local"),
}

# operationId -> the path parameter that names what it writes.
CONFINED_OPERATIONS = {
    "PutConfigSet": "configPath",
    "PatchConfigSet": "configPath",
    "DeleteConfigSet": "configPath",
    "ZooKeeperCreateZnode": "znodePath",
    "ZooKeeperSetZnodeData": "znodePath",
    "ZooKeeperDeleteZnode": "znodePath",
    "ZooKeeperImportSubtree": "znodePath",
}

# POSTs that only compute an answer and write nothing.
READ_ONLY_POSTS = {"AnalyzeConfigImpact", "ConnectValidateConfig"}

PRIVATE = os.environ.get("ARCHON_FUZZ_PRIVATE") == "1"
# Where the private Connect worker's FileStream connectors may read and write.
CONNECT_DIR = os.environ.get("ARCHON_FUZZ_CONNECT_DIR", "")
# What an app deployed from fuzzed configuration runs instead of its command.
HARMLESS_COMMAND = "sleep 30"
COMMAND_KEYS = {"marathon.cmd": HARMLESS_COMMAND, "marathon.args": '["sleep", "30"]'}


def defuse_properties(properties):
    """An app's command keys, whatever the fuzzer wrote, become a harmless sleep."""
    if not isinstance(properties, dict):
        return
    for key in list(properties):
        if isinstance(key, str) and key.strip() in COMMAND_KEYS:
            properties[key] = COMMAND_KEYS[key.strip()]


def confine_connector_files(config):
    """A connector's `file` (FileStream source or sink) points into CONNECT_DIR."""
    if not isinstance(config, dict):
        return
    for key in list(config):
        if isinstance(key, str) and key.strip() == "file":
            name = hashlib.sha1(str(config[key]).encode()).hexdigest()[:12]
            config[key] = os.path.join(CONNECT_DIR or "/nonexistent", f"{name}.txt")


def defuse_body(body):
    """Config set bodies (PUT `properties`, PATCH `set`), connector bodies (`config`, or the config itself)."""
    if not isinstance(body, dict):
        return
    defuse_properties(body.get("properties"))
    defuse_properties(body.get("set"))
    confine_connector_files(body.get("config"))
    confine_connector_files(body)


def confine(value) -> str:
    # Dropping empty, "." and ".." segments means no generated value can
    # climb out of the prefix once the server normalises the path.
    segments = [s for s in str(value).split("/") if s not in ("", ".", "..")]
    return "/".join([FUZZ_PREFIX, *segments])


def declared_methods(operation) -> set:
    path_item = operation.schema.raw_schema["paths"].get(operation.path, {})
    return {method.upper() for method in path_item if method != "parameters"}


@schemathesis.hook
def before_call(context, case, kwargs):
    operation = case.operation
    method = case.method.upper()
    if method != operation.method.upper():
        # The coverage phase probes methods a path does not declare (expecting
        # 405/404); such a request reaches no handler, so it is let through.
        # A method the path does declare belongs to another operation, which
        # fuzz.sh may have excluded: refuse it.
        if method in declared_methods(operation) and not PRIVATE:
            raise RuntimeError(f"fuzz: refusing {method} {operation.path}")
        if PRIVATE:
            defuse_body(case.body)
        return
    for name, value in KNOWN_NAMES.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
        if case.query and name in case.query:
            case.query[name] = value
    if method == "GET":
        return
    if PRIVATE:
        defuse_body(case.body)
        return
    operation_id = operation.definition.raw.get("operationId")
    if operation_id in READ_ONLY_POSTS:
        return
    parameter = CONFINED_OPERATIONS.get(operation_id)
    if parameter is None:
        # fuzz.sh excludes every other mutating operation; reaching this line
        # means its filter is broken, and the request must not go out.
        raise RuntimeError(f"fuzz: refusing unconfined operation {operation_id}")
    params = case.path_parameters or {}
    params[parameter] = confine(params.get(parameter, ""))
    case.path_parameters = params
