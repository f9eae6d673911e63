import { combineTimeLags } from './timeLag';

describe('combineTimeLags', () => {
  it('is the largest known time lag, 0 included', () => {
    expect(combineTimeLags([{ ms: 0 }, { ms: 1500 }, { ms: 20 }])).toEqual({
      timeLagMs: 1500,
      timeLagUnknown: null,
    });
    expect(combineTimeLags([{ ms: 0 }])).toEqual({
      timeLagMs: 0,
      timeLagUnknown: null,
    });
  });

  it('keeps a lower bound and says why, counted per reason, when some partitions are unknown', () => {
    const deleted = { unknown: 'the record is no longer in the log' };
    expect(combineTimeLags([{ ms: 900 }, deleted, deleted])).toEqual({
      timeLagMs: 900,
      timeLagUnknown: '2 partitions: the record is no longer in the log',
    });
  });

  it('is null, never 0, when no partition could be read', () => {
    expect(
      combineTimeLags([{ unknown: 'not sampled' }, { unknown: 'no leader' }]),
    ).toEqual({
      timeLagMs: null,
      timeLagUnknown: '1 partition: not sampled; 1 partition: no leader',
    });
  });
});
