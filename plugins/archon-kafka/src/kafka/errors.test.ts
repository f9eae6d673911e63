import * as kafkajs from 'kafkajs';
import { toHttpError, withKafkaDeadline } from './errors';

const cluster = { name: 'local', brokers: ['127.0.0.1:9092'] };

// kafkajs' table of every protocol error code (not part of its typed API).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: Array<{
    type: string;
    code: number;
    retriable: boolean;
    message: string;
  }>;
};

/**
 * The status Backstage's error middleware answers for an error: its
 * `statusCode`/`status` field, else by name (the same rules as
 * MiddlewareFactory's getStatusCode), else 500.
 */
function statusOf(
  error: Error & { statusCode?: unknown; status?: unknown },
): number {
  for (const field of [error.statusCode, error.status]) {
    if (
      typeof field === 'number' &&
      Number.isInteger(field) &&
      field >= 100 &&
      field <= 599
    )
      return field;
  }
  const byName: Record<string, number> = {
    NotModifiedError: 304,
    InputError: 400,
    AuthenticationError: 401,
    NotAllowedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    NotImplementedError: 501,
    ServiceUnavailableError: 503,
  };
  return byName[error.name] ?? 500;
}

type Ctor = new (...args: any[]) => Error;

/** Every error class kafkajs exports, built with the arguments its constructor reads. */
function kafkajsErrors(): Array<[string, Error]> {
  const classes = Object.entries(kafkajs).filter(
    ([name, value]) => /^KafkaJS/.test(name) && typeof value === 'function',
  ) as Array<[string, Ctor]>;
  const cause = new (kafkajs as any).KafkaJSConnectionError(
    'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    {
      broker: '127.0.0.1:9092',
      code: 'ECONNREFUSED',
    },
  );
  return classes.map(([name, Class]) => {
    switch (name) {
      case 'KafkaJSDeleteTopicRecordsError':
        return [
          name,
          new Class({
            partitions: [{ partition: 0, offset: '1', error: cause }],
          }),
        ];
      case 'KafkaJSAggregateError':
        return [name, new Class('Multiple errors', [cause])];
      case 'KafkaJSNumberOfRetriesExceeded':
        return [name, new Class(cause, { retryCount: 2, retryTime: 2000 })];
      case 'KafkaJSDeleteGroupsError':
        return [name, new Class('Error in DeleteGroups', [])];
      default:
        return [
          name,
          new Class(`${name} happened`, {
            topic: 't',
            partition: 0,
            memberId: 'm',
            broker: 'b',
          }),
        ];
    }
  });
}

describe('toHttpError', () => {
  it('answers 404, not 500, when a deleted group does not exist (the error is per group)', () => {
    // The shape kafkajs' admin.deleteGroups rejects with.
    const error = Object.assign(new Error('Error in DeleteGroups'), {
      name: 'KafkaJSDeleteGroupsError',
      groups: [
        {
          groupId: 'no-such-group',
          errorCode: 69,
          error: Object.assign(new Error('The group id does not exist'), {
            name: 'KafkaJSProtocolError',
            type: 'GROUP_ID_NOT_FOUND',
          }),
        },
      ],
    });
    const mapped = toHttpError(error, cluster);
    expect(mapped.name).toBe('NotFoundError');
    expect(mapped.message).toBe('The group id does not exist');
  });

  it('maps every kafkajs error class to a 4xx/503/504, never 500', () => {
    const errors = kafkajsErrors();
    // The enumeration is what kafkajs exports: a new class in an upgrade is covered too.
    expect(errors.length).toBeGreaterThanOrEqual(31);
    const answers = errors.map(([name, error]) => ({
      name,
      status: statusOf(toHttpError(error, cluster)),
    }));
    expect(
      answers.filter(a => a.status >= 500 && ![503, 504].includes(a.status)),
    ).toEqual([]);
    expect(answers.filter(a => a.status === 500)).toEqual([]);
  });

  it('maps every Kafka protocol error code, alone and after retries, to a 4xx/503/504', () => {
    const ProtocolError = (kafkajs as any).KafkaJSProtocolError as Ctor;
    const Retries = (kafkajs as any).KafkaJSNumberOfRetriesExceeded as Ctor;
    expect(errorCodes.length).toBeGreaterThan(80);
    const answers = errorCodes.flatMap(code => {
      const error = new ProtocolError(code);
      return [
        { type: code.type, status: statusOf(toHttpError(error, cluster)) },
        {
          type: `${code.type} after retries`,
          status: statusOf(
            toHttpError(
              new Retries(error, { retryCount: 2, retryTime: 1 }),
              cluster,
            ),
          ),
        },
      ];
    });
    expect(
      answers.filter(a => a.status >= 500 && ![503, 504].includes(a.status)),
    ).toEqual([]);
  });

  it("says what happened in Kafka's terms", () => {
    const map = (error: Error) => {
      const mapped = toHttpError(error, cluster);
      return { status: statusOf(mapped), message: mapped.message };
    };
    const Coordinator = (kafkajs as any)
      .KafkaJSGroupCoordinatorNotFound as Ctor;
    expect(map(new Coordinator('Failed to find group coordinator'))).toEqual({
      status: 503,
      message: expect.stringMatching(
        /^Kafka cluster "local": no broker is the consumer group coordinator yet .*retry/,
      ),
    });
    const Protocol = (kafkajs as any).KafkaJSProtocolError as Ctor;
    const loading = errorCodes.find(c => c.type === 'GROUP_LOAD_IN_PROGRESS')!;
    expect(map(new Protocol(loading))).toEqual({
      status: 503,
      message: expect.stringContaining(
        'coordinator is still loading its groups (Kafka GROUP_LOAD_IN_PROGRESS',
      ),
    });
    const leader = errorCodes.find(c => c.type === 'LEADER_NOT_AVAILABLE')!;
    expect(map(new Protocol(leader)).status).toBe(503);
    const timedOut = errorCodes.find(c => c.type === 'REQUEST_TIMED_OUT')!;
    expect(map(new Protocol(timedOut)).status).toBe(504);
    const Timeout = (kafkajs as any).KafkaJSRequestTimeoutError as Ctor;
    expect(
      map(new Timeout('Request Produce(key: 0, version: 7) timed out')),
    ).toEqual({
      status: 504,
      message: expect.stringMatching(
        /^Kafka cluster "local" did not answer in time \(brokers tried: 127\.0\.0\.1:9092/,
      ),
    });
    const Sasl = (kafkajs as any).KafkaJSSASLAuthenticationError as Ctor;
    expect(map(new Sasl('SASL PLAIN authentication failed')).message).toMatch(
      /refused archon's SASL credentials/,
    );
    const exists = errorCodes.find(c => c.type === 'TOPIC_ALREADY_EXISTS')!;
    expect(map(new Protocol(exists)).status).toBe(409);
  });

  it("leaves errors that are not Kafka's (archon bugs) alone", () => {
    const bug = new TypeError('x is undefined');
    expect(toHttpError(bug, cluster)).toBe(bug);
  });
});

describe('withKafkaDeadline', () => {
  it('answers 504 naming the cluster when the work outlives the deadline', async () => {
    const never = new Promise<never>(() => {});
    const started = Date.now();
    const error = await withKafkaDeadline(never, cluster, 200).catch(e => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(statusOf(error)).toBe(504);
    expect(error.message).toMatch(
      /^Kafka cluster "local" did not answer within 0\.2 s \(brokers tried: 127\.0\.0\.1:9092\)/,
    );
  });

  it('passes the result (or the error) through when the work is in time', async () => {
    await expect(
      withKafkaDeadline(Promise.resolve(7), cluster, 1000),
    ).resolves.toBe(7);
    await expect(
      withKafkaDeadline(Promise.reject(new Error('no')), cluster, 1000),
    ).rejects.toThrow('no');
  });
});
