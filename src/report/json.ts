import type { Reporter } from './model.js';

export const jsonReporter: Reporter = {
  format: 'json',
  render(report) {
    return JSON.stringify(report, null, 2) + '\n';
  },
};
