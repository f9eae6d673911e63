import { Command } from 'commander';
import {
  fieldNamesOf,
  inCliTerms,
  inCliWords,
  setApiFields,
} from './apiFields';
import { ApiError } from './errors';
import { ExitCode } from './exitCodes';

function command() {
  const root = new Command('archon').option('--url <url>');
  const group = root.command('zookeeper').option('-e, --ensemble <name>');
  const set = group
    .command('set')
    .argument('<path>')
    .option('--expected-version <n>')
    .option('--no-wait');
  setApiFields(set, { kinds: '--kind', configPath: '<path>' });
  return set;
}

describe('CLI words for API fields', () => {
  const names = fieldNamesOf(command());

  it('knows each flag by its camelCase name, the declared table and the group flags, not the global ones', () => {
    expect(names).toEqual({
      ensemble: '--ensemble',
      expectedVersion: '--expected-version',
      kinds: '--kind',
      configPath: '<path>',
    });
  });

  it.each([
    [
      'request/query/kinds/0 must be equal to one of the allowed values: app, topic',
      '--kind must be equal to one of the allowed values: app, topic',
    ],
    [
      'request/body/expectedVersion must be integer',
      '--expected-version must be integer',
    ],
    [
      '"expectedVersion" is missing: send the version you read',
      '--expected-version is missing: send the version you read',
    ],
    [
      'retry with expectedVersion 3, or write without expectedVersion (or with -1)',
      'retry with --expected-version 3, or write without --expected-version (or with -1)',
    ],
    [
      "Parameter 'ensemble' must be url encoded",
      'Parameter --ensemble must be url encoded',
    ],
    ['ensemble is missing', '--ensemble is missing'],
    ['ensemble is not configured', 'ensemble is not configured'],
    // The user's own configuration keys that contain a field's name stay.
    [
      'marathon.healthCheck.expectedVersion is not a number; ${expectedVersion} does not resolve',
      'marathon.healthCheck.expectedVersion is not a number; ${expectedVersion} does not resolve',
    ],
    ['send expectedVersion.', 'send --expected-version.'],
    // A name the API does not know gets the flag that chooses it.
    [
      'Unknown ZooKeeper ensemble "nope"; configured: local, dr',
      'Unknown ZooKeeper ensemble "nope"; configured: local, dr (choose one with --ensemble)',
    ],
    [
      'unknown Kafka cluster "nope"; configured: local',
      'unknown Kafka cluster "nope"; configured: local',
    ],
    // Unknown fields and plain English stay as they are.
    ['request/query/other must be <= 3', 'request/query/other must be <= 3'],
    ['the ensemble is down', 'the ensemble is down'],
  ])('%s', (api, cli) => {
    expect(inCliWords(api, names)).toBe(cli);
  });

  it("maps an API error's message and its [{ field, problem }] details, keeping the exit code", () => {
    const error = new ApiError({
      status: 400,
      url: 'http://x/api/archon/graph',
      body: {
        error: {
          name: 'InputError',
          message:
            'request/query/kinds/0 must be equal to one of the allowed values',
          details: [
            { field: 'kinds', problem: 'must be one of app, topic' },
            {
              field: 'request/body/expectedVersion',
              problem: 'expectedVersion must be >= -1',
            },
          ],
        },
      },
    });
    const mapped = inCliTerms(error, command()) as ApiError;
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped.exitCode).toBe(ExitCode.Usage);
    expect(mapped.message).toBe(
      '--kind must be equal to one of the allowed values (HTTP 400 InputError)',
    );
    expect(mapped.details).toEqual([
      '  --kind: must be one of app, topic',
      '  --expected-version: --expected-version must be >= -1',
    ]);
  });

  it('leaves other errors alone', () => {
    const plain = new Error('boom');
    expect(inCliTerms(plain, command())).toBe(plain);
    const auth = new ApiError({ status: 401, url: 'x', hint: '  log in' });
    expect(inCliTerms(auth, command())).toBe(auth);
  });
});
