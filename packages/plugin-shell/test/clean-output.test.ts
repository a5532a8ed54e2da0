import { describe, expect, it } from 'vitest';
import { cleanOutput } from '../src/clean-output.js';

describe('cleanOutput', () => {
  it('strips colours and cursor movement', () => {
    expect(cleanOutput('\u001b[1;31mred alert\u001b[0m\n\u001b[2K\u001b[1Gcleared')).toBe(
      'red alert\ncleared',
    );
  });

  it('shows the last state of a carriage-return progress bar', () => {
    expect(cleanOutput('progress 10%\rprogress 50%\rprogress 100%\ndone\r\n')).toBe('progress 100%\ndone\n');
  });

  it('removes other control characters but keeps tabs', () => {
    expect(cleanOutput('bell\u0007 here\tand\u0000 nul\u007f')).toBe('bell here\tand nul');
  });
});
