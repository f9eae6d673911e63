import { toHttpError } from './errors';

const cluster = { name: 'local', brokers: ['127.0.0.1:9092'] };

describe('toHttpError', () => {
  it('answers 404, not 500, when a deleted group does not exist (the error is per group)', () => {
    // The shape kafkajs' admin.deleteGroups rejects with.
    const error = Object.assign(new Error('Error in DeleteGroups'), {
      name: 'KafkaJSDeleteGroupsError',
      groups: [
        {
          groupId: 'no-such-group',
          errorCode: 69,
          error: Object.assign(new Error('The group id does not exist'), { name: 'KafkaJSProtocolError', type: 'GROUP_ID_NOT_FOUND' }),
        },
      ],
    });
    const mapped = toHttpError(error, cluster);
    expect(mapped.name).toBe('NotFoundError');
    expect(mapped.message).toBe('The group id does not exist');
  });
});
