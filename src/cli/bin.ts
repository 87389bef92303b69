#!/usr/bin/env node
import { main } from './program.js';
import { processIO } from './io.js';

const controller = new AbortController();
let interrupted = false;
const onSignal = () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await main(process.argv.slice(2), processIO(controller.signal));
process.exitCode = interrupted && code !== 0 ? 130 : code;
