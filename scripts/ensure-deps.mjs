#!/usr/bin/env node
// Make a fresh clone runnable: install npm packages when node_modules is
// missing or does not match package.json / package-lock.json, and with
// --browser make sure Debian's Chromium (used by Playwright) is installed.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const wantBrowser = process.argv.includes('--browser');
const checkOnly = process.argv.includes('--check'); // report, install nothing (exit 1 when stale)

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const run = (cmd) => {
  process.stderr.write(`ensure-deps: ${cmd}\n`);
  execSync(cmd, { cwd: root, stdio: 'inherit' });
};

/** Why node_modules needs an install, or null when it matches the lock file and package.json. */
function staleReason() {
  const modules = join(root, 'node_modules');
  if (!existsSync(modules)) return 'node_modules is missing';
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) {
    // Every non-optional package the lock names must be installed at its version
    // (optional ones are other platforms' binaries).
    for (const [path, info] of Object.entries(readJson(lock).packages ?? {})) {
      if (!path.startsWith('node_modules/') || info.optional || info.link) continue;
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const pkg = join(root, path, 'package.json');
      if (!existsSync(pkg)) return `${name} is not installed`;
      if (info.version && readJson(pkg).version !== info.version) return `${name} is not at ${info.version}`;
    }
  }
  const manifest = readJson(join(root, 'package.json'));
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (!existsSync(join(modules, name, 'package.json'))) return `${name} is not installed`;
  }
  return null;
}

const reason = staleReason();
if (checkOnly) {
  process.stderr.write(`ensure-deps: ${reason ? `npm packages need an install (${reason})` : 'npm packages are up to date'}\n`);
  if (wantBrowser) process.stderr.write(`ensure-deps: chromium ${existsSync(CHROMIUM) ? 'found' : 'MISSING'} at ${CHROMIUM}\n`);
  process.exit(reason || (wantBrowser && !existsSync(CHROMIUM)) ? 1 : 0);
}
if (reason) {
  process.stderr.write(`ensure-deps: installing npm packages (${reason})\n`);
  run(existsSync(join(root, 'package-lock.json')) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
}

if (wantBrowser && !existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    process.stderr.write(
      `ensure-deps: Chromium is missing at ${CHROMIUM} and this is not root, so it cannot be installed here.\n` +
        `  Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n` +
        `  (or point CHROMIUM_PATH at another Chromium binary)\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`ensure-deps: installing Debian's chromium (missing at ${CHROMIUM})\n`);
  run('apt-get update');
  run('DEBIAN_FRONTEND=noninteractive apt-get install -y chromium');
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`ensure-deps: apt-get finished but ${CHROMIUM} still does not exist\n`);
    process.exit(1);
  }
}
