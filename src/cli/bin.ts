#!/usr/bin/env node
import { constants } from 'node:os';
import { EXIT } from '../util/errors.js';
import { guardStream, processIO } from './io.js';
import { internalErrorMessage, main } from './program.js';

const debug = process.argv.includes('--debug');
const controller = new AbortController();
/** 128 + the signal number, as shells report a process a signal ended: SIGINT 130, SIGTERM 143. */
let signalCode: number | undefined;
const onSignal = (signal: NodeJS.Signals) => {
  if (signalCode !== undefined) process.exit(signalCode);
  signalCode = 128 + constants.signals[signal];
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A closed stderr is nothing to report, and nowhere to report it.
process.stderr.on('error', () => {});
// A reader that goes away early (`| head`) ends the output quietly, as for `git log | head` or `rg … | head`;
// the exit code stays the scan's own: the gate's verdict was reached, only the rest of its report went
// unread. Any other failure (ENOSPC, EIO: `> /dev/full`) is one line and exit 2: the report was not delivered.
let done = false;
let stdoutFailed = false;
const stdout = guardStream(process.stdout, (err) => {
  if (err.code === 'EPIPE') return;
  stdoutFailed = true;
  process.stderr.write(`sg-audit: stdout: cannot write (${err.code ?? err.message})\n`);
  if (done) process.exitCode = EXIT.USAGE;
});

// A bug that escapes main() (a callback, a stream): the same message and exit code as one inside it.
const crash = (err: unknown) => {
  process.stderr.write(internalErrorMessage(err, debug));
  process.exit(EXIT.INTERNAL);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

const code = await main(process.argv.slice(2), processIO(controller.signal, stdout));
done = true;
process.exitCode = stdoutFailed ? EXIT.USAGE : signalCode !== undefined && code !== 0 ? signalCode : code;
