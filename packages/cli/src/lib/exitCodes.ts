/**
 * The CLI's exit codes. They are part of its interface (scripts branch on
 * them) and documented in the package README: never renumber, only add.
 */
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** Any other failure: a server error (5xx), an unexpected answer, a local I/O error. */
  Error: 1,
  /** Bad command line (unknown command or option, missing argument) or a request the server rejected as malformed (400); also a destructive command without `--yes` and without a terminal to ask on. */
  Usage: 2,
  /** The thing named does not exist (404). */
  NotFound: 3,
  /** A conflict (409): a stale version on a versioned write, a topic that exists, a group with active members. */
  Conflict: 4,
  /** Not authenticated (401) or not allowed (403). */
  Auth: 5,
  /** The archon backend, or the system behind it, cannot be reached (network error, timeout, 502/503/504). */
  Unreachable: 6,
  /** Understood but invalid (422): failed validation, an unresolvable configuration. Field errors are printed. */
  Invalid: 7,
  /** The user answered "no" to a confirmation, or aborted an edit. */
  Cancelled: 8,
  /** A check ran and found a problem: `archon health` with a system unreachable, `connectors status` of a failed connector, `apps status` of an unhealthy app. */
  Unhealthy: 9,
  /** A deploy, rollback or app operation that failed (`deploy`, `rollback`, `deployments watch`, `apps scale|restart|suspend|destroy`). */
  DeployFailed: 10,
  /** The same commands when archon stopped waiting for the change (timeout). */
  DeployTimeout: 11,
  /** Interrupted (Ctrl-C), as shells report SIGINT. */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an HTTP error status from the API. */
export function exitCodeForStatus(status: number): ExitCodeValue {
  if (status === 400 || status === 413) return ExitCode.Usage;
  if (status === 401 || status === 403) return ExitCode.Auth;
  if (status === 404) return ExitCode.NotFound;
  if (status === 409 || status === 412) return ExitCode.Conflict;
  if (status === 422) return ExitCode.Invalid;
  if (status === 502 || status === 503 || status === 504)
    return ExitCode.Unreachable;
  return ExitCode.Error;
}
