import type { MarathonHealthCheck } from '../client/types';
import { HEALTH_PROTOCOLS } from './renderKeys';
import { Problems, PropertyReader } from './renderProblems';

/** The `marathon.healthCheck.*` keys as Marathon health checks (at most one). */
export function renderHealthChecks(
  read: PropertyReader,
  problems: Problems,
  ports: Array<{ name: string; number?: number }>,
): MarathonHealthCheck[] {
  const { str, num } = read;

  const healthChecks: MarathonHealthCheck[] = [];
  const hcPath = str('marathon.healthCheck.path');
  const hcCommand = str('marathon.healthCheck.command');
  let hcProtocol = str('marathon.healthCheck.protocol')?.toUpperCase();
  if (hcPath || hcCommand || hcProtocol) {
    hcProtocol ??= hcCommand ? 'COMMAND' : 'HTTP';
    if (!HEALTH_PROTOCOLS.includes(hcProtocol)) {
      problems.add(
        'marathon.healthCheck.protocol',
        `"${hcProtocol}" must be one of ${HEALTH_PROTOCOLS.join(', ')}`,
      );
    }
    const check: MarathonHealthCheck = { protocol: hcProtocol };
    if (hcProtocol === 'COMMAND') {
      if (!hcCommand)
        problems.add(
          'marathon.healthCheck.command',
          'a COMMAND health check needs marathon.healthCheck.command',
        );
      check.command = { value: hcCommand ?? '' };
    } else {
      if (/HTTP/.test(hcProtocol)) check.path = hcPath ?? '/';
      check.portIndex = num('marathon.healthCheck.portIndex', {
        min: 0,
        int: true,
        def: 0,
      });
      if (ports.length === 0) {
        problems.add(
          'marathon.healthCheck.protocol',
          `a ${hcProtocol} health check needs a port: set marathon.ports, e.g. http`,
        );
      } else if (check.portIndex! >= ports.length) {
        problems.add(
          'marathon.healthCheck.portIndex',
          `${check.portIndex} is not one of the ${ports.length} port(s) in marathon.ports`,
        );
      }
    }
    check.gracePeriodSeconds = num('marathon.healthCheck.gracePeriodSeconds', {
      min: 0,
      int: true,
      def: 300,
    });
    check.intervalSeconds = num('marathon.healthCheck.intervalSeconds', {
      min: 1,
      int: true,
      def: 60,
    });
    check.timeoutSeconds = num('marathon.healthCheck.timeoutSeconds', {
      min: 1,
      int: true,
      def: 20,
    });
    check.maxConsecutiveFailures = num(
      'marathon.healthCheck.maxConsecutiveFailures',
      { min: 0, int: true, def: 3 },
    );
    check.delaySeconds = num('marathon.healthCheck.delaySeconds', {
      min: 0,
      int: true,
      def: 15,
    });
    healthChecks.push(check);
  }
  return healthChecks;
}
