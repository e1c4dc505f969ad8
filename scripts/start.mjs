#!/usr/bin/env node
// `npm start`: set up and start the product on the embedded SQLite default.
import { install } from './lib/bootstrap.mjs';

const pnpm = install();
pnpm('--filter', '@aihio/bff', 'start');
