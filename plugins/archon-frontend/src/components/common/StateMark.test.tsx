import { render, screen } from '@testing-library/react';
import { AppState } from './AppStatusLine';
import { StateMark } from './StateMark';
import { STATUS_COLORS } from '../PipelinesPage/statusColors';

const look = (word: string) => {
  const rect = document.querySelector(`[data-state-swatch="${word}"] rect`)!;
  return {
    fill: rect.getAttribute('fill'),
    stroke: rect.getAttribute('stroke'),
  };
};

describe('StateMark', () => {
  it('draws an app state word as the Pipelines page draws the node: running an outline, healthy filled', () => {
    render(
      <>
        <AppState state="healthy" />
        <AppState state="running" />
        <AppState state="crash-looping" />
        <AppState state="suspended" />
        <AppState state="deploying" />
      </>,
    );
    expect(screen.getByText('healthy')).toBeInTheDocument();
    expect(look('healthy')).toEqual(STATUS_COLORS.healthy);
    expect(look('running')).toEqual(STATUS_COLORS.running);
    expect(look('running')).not.toEqual(look('healthy'));
    // An app's own words in the graph's: crash-looping has failed, suspended is stopped.
    expect(look('crash-looping')).toEqual(STATUS_COLORS.failed);
    expect(look('suspended')).toEqual(STATUS_COLORS.stopped);
    // No two words of the app state share a look.
    const words = [
      'healthy',
      'running',
      'crash-looping',
      'suspended',
      'deploying',
    ];
    const looks = new Set(words.map(w => JSON.stringify(look(w))));
    expect(looks.size).toBe(words.length);
  });

  it('draws a word it does not know as unknown', () => {
    render(<StateMark state="sideways" />);
    expect(look('sideways')).toEqual(STATUS_COLORS.unknown);
  });
});
